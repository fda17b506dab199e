import { Badge, Button, Code, Table, Text, Tooltip } from '@mantine/core';
import { RoleBadge } from '../../../components/role-badge';
import { formatDate, formatDateTime, formatRelative } from '../../../lib/format';
import type { ApiKey } from '../api/api-keys.api';

export function ApiKeysTable({ apiKeys, onRevoke }: { apiKeys: ApiKey[]; onRevoke: (key: ApiKey) => void }) {
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table verticalSpacing="sm" highlightOnHover data-testid="api-keys-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Key</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Created by</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th w={90} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {apiKeys.map((key) => (
            <Table.Tr key={key.id} data-testid={`api-key-row-${key.name}`} style={key.revokedAt ? { opacity: 0.6 } : undefined}>
              <Table.Td fz="sm" fw={600}>
                {key.name}
              </Table.Td>
              <Table.Td>
                <Code fz="xs">{key.prefix}…</Code>
              </Table.Td>
              <Table.Td>
                <RoleBadge role={key.role} />
              </Table.Td>
              <Table.Td fz="sm" c="dimmed">
                {key.createdBy?.name ?? '—'}
              </Table.Td>
              <Table.Td fz="sm" c="dimmed">
                {formatDate(key.createdAt)}
              </Table.Td>
              <Table.Td fz="sm" c="dimmed">
                {key.lastUsedAt ? (
                  <Tooltip label={formatDateTime(key.lastUsedAt)} withArrow>
                    <Text span fz="sm">
                      {formatRelative(key.lastUsedAt)}
                    </Text>
                  </Tooltip>
                ) : (
                  'Never'
                )}
              </Table.Td>
              <Table.Td>
                {key.revokedAt ? (
                  <Tooltip label={`Revoked ${formatDateTime(key.revokedAt)}`} withArrow>
                    <Badge color="red" variant="light" size="sm" data-testid="api-key-status">
                      Revoked
                    </Badge>
                  </Tooltip>
                ) : (
                  <Badge color="teal" variant="light" size="sm" data-testid="api-key-status">
                    Active
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {key.revokedAt ? null : (
                  <Button size="xs" variant="subtle" color="red" onClick={() => onRevoke(key)} data-testid={`revoke-api-key-${key.name}`}>
                    Revoke
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
