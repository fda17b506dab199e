import { Badge, Code, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { formatDateTime, formatRelative } from '../../../lib/format';
import type { AuditActorType, AuditEntry } from '../api/audit-log.api';

const ACTOR_LABELS: Record<AuditActorType, { label: string; color: string }> = {
  USER: { label: 'User', color: 'indigo' },
  API_KEY: { label: 'API key', color: 'orange' },
  ANONYMOUS: { label: 'Anonymous', color: 'gray' },
};

function shortId(id: string): string {
  return id.length > 14 ? `${id.slice(0, 6)}…${id.slice(-6)}` : id;
}

export function AuditLogTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table verticalSpacing="sm" highlightOnHover data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={190}>Time</Table.Th>
            <Table.Th>Actor</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Target</Table.Th>
            <Table.Th w={140}>IP</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => {
            const actor = ACTOR_LABELS[entry.actorType];
            return (
              <Table.Tr key={entry.id} data-testid="audit-row" data-action={entry.action}>
                <Table.Td>
                  <Stack gap={0}>
                    <Text fz="sm">{formatDateTime(entry.createdAt)}</Text>
                    <Text fz="xs" c="dimmed">
                      {formatRelative(entry.createdAt)}
                    </Text>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Badge size="xs" variant="light" color={actor.color} style={{ flexShrink: 0 }}>
                      {actor.label}
                    </Badge>
                    <Text fz="sm" truncate maw={220} data-testid="audit-actor">
                      {entry.actorLabel ?? '—'}
                    </Text>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Tooltip
                    label={<pre style={{ margin: 0, fontSize: 11 }}>{JSON.stringify(entry.details, null, 2)}</pre>}
                    disabled={entry.details == null}
                    withArrow
                    multiline
                    maw={420}
                  >
                    <Code fz="xs" data-testid="audit-action">
                      {entry.action}
                    </Code>
                  </Tooltip>
                </Table.Td>
                <Table.Td>
                  {entry.targetType ? (
                    <Text fz="sm" title={entry.targetId ?? undefined}>
                      {entry.targetType}
                      {entry.targetId ? (
                        <Text span c="dimmed" fz="xs" ml={6} ff="monospace">
                          {shortId(entry.targetId)}
                        </Text>
                      ) : null}
                    </Text>
                  ) : (
                    <Text fz="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text fz="sm" ff="monospace" c="dimmed" title={entry.userAgent ?? undefined}>
                    {entry.ip ?? '—'}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
