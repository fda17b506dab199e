import { useMemo } from 'react';
import { Anchor, Badge, Button, Card, Code, Group, Table, Text } from '@mantine/core';
import { IconPlus, IconTool } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { TableSkeleton } from '../../../components/table-skeleton';
import { formatRelative } from '../../../lib/format';
import { CustomToolsQuery } from '../api/custom-tools.api';
import { toolNameOf } from './tool-draft';

/** The organization's custom tools: each a private plugin with one tool. */
export function CustomToolsList({ canManage }: { canManage: boolean }) {
  const context = useMemo(() => ({ additionalTypenames: ['PluginListing'] }), []);
  const [{ data, error }, reexecute] = useQuery({ query: CustomToolsQuery, context });
  const tools = data?.customTools;
  return (
    <Card withBorder radius="md" padding={0}>
      {error && !data ? (
        <Card.Section p="lg">
          <ErrorAlert error={error} title="Could not load the custom tools" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
        </Card.Section>
      ) : !tools ? (
        <TableSkeleton rows={3} />
      ) : tools.length === 0 ? (
        <EmptyState
          icon={IconTool}
          title="No custom tools yet"
          description="Write a tool in JavaScript, test it against sample input in the sandbox, and give it to your agents. It stays private to this organization."
          testId="custom-tools-empty"
          action={
            canManage ? (
              <Button component={Link} to="/tools/custom/new" leftSection={<IconPlus size={16} />} variant="light">
                Build your first tool
              </Button>
            ) : undefined
          }
        />
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="sm" highlightOnHover data-testid="custom-tools-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Tool</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th>Hosts</Table.Th>
                <Table.Th>Version</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tools.map((listing) => {
                const tool = listing.latestVersion?.tools[0];
                const name = tool ? toolNameOf(tool.id) : listing.title;
                return (
                  <Table.Tr key={listing.id} data-testid={`custom-tool-row-${name}`}>
                    <Table.Td>
                      <Anchor component={Link} to={`/tools/custom/${encodeURIComponent(name)}`} fw={600} fz="sm">
                        {name}
                      </Anchor>
                      {tool ? (
                        <Text fz="xs" c="dimmed">
                          <Code fz="xs">{tool.id}</Code>
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td fz="sm" c="dimmed" maw={360}>
                      <Text fz="sm" c="dimmed" lineClamp={2}>
                        {listing.description}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {(listing.latestVersion?.permissions.network ?? []).map((h) => (
                          <Badge key={h} size="xs" variant="light" tt="none">
                            {h}
                          </Badge>
                        ))}
                        {listing.latestVersion?.permissions.network.length ? null : <Text fz="xs" c="dimmed">none</Text>}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text fz="sm">v{listing.latestVersion?.version ?? '—'}</Text>
                      <Text fz="xs" c="dimmed">
                        {formatRelative(listing.latestVersion?.createdAt)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
