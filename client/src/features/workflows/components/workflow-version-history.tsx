import { useState } from 'react';
import { Badge, Card, Group, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useQuery } from 'urql';
import { ErrorAlert } from '../../../components/error-alert';
import { TableSkeleton } from '../../../components/table-skeleton';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { WorkflowVersionDiffQuery, type Workflow } from '../api/workflows.api';
import { WorkflowDiffTable } from './workflow-diff-table';
import { WorkflowStatusBadge } from './workflow-status-badge';

function VersionDiff({ workflowId, from, to }: { workflowId: string; from: number; to: number }) {
  const [{ data, error }, reexecute] = useQuery({ query: WorkflowVersionDiffQuery, variables: { workflowId, from, to } });
  if (error && !data) return <ErrorAlert error={error} title="Could not compare the versions" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
  if (!data) return <TableSkeleton rows={3} />;
  const { changes } = data.workflowVersionDiff;
  if (changes.length === 0) {
    return (
      <Text fz="sm" c="dimmed" data-testid="version-diff-empty">
        v{from} and v{to} are the same.
      </Text>
    );
  }
  return <WorkflowDiffTable changes={changes} />;
}

/** Every saved version, newest first, and what changed between any two of them. */
export function WorkflowVersionHistory({ workflow }: { workflow: Pick<Workflow, 'id' | 'version' | 'versions'> }) {
  const { versions } = workflow;
  const [from, setFrom] = useState<number | null>(versions[1]?.version ?? null);
  const [to, setTo] = useState<number | null>(versions[0]?.version ?? null);
  const options = versions.map((v) => ({ value: String(v.version), label: `v${v.version}` }));

  return (
    <Stack gap="lg" data-testid="version-history">
      <Card withBorder radius="md" padding={0}>
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing="xs" data-testid="versions-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Version</Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Saved by</Table.Th>
                <Table.Th>Saved</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {versions.map((v) => (
                <Table.Tr key={v.version} data-testid={`version-row-${v.version}`}>
                  <Table.Td fz="sm" fw={600}>
                    <Group gap={6}>
                      v{v.version}
                      {v.version === workflow.version ? (
                        <Badge size="xs" variant="light">
                          current
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td fz="sm">{v.name}</Table.Td>
                  <Table.Td>
                    <WorkflowStatusBadge status={v.status} />
                  </Table.Td>
                  <Table.Td fz="sm">{v.createdBy?.name ?? '—'}</Table.Td>
                  <Table.Td fz="sm" c="dimmed">
                    <Tooltip label={formatDateTime(v.createdAt)} withArrow>
                      <Text span fz="sm">
                        {formatRelative(v.createdAt)}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <Card withBorder radius="md" padding="lg">
        <Stack gap="md">
          <Text fw={600}>Compare versions</Text>
          {versions.length < 2 ? (
            <Text fz="sm" c="dimmed">
              There is only one version so far. Every save adds one.
            </Text>
          ) : (
            <>
              <Group gap="md">
                <Select
                  label="From"
                  data={options}
                  value={from === null ? null : String(from)}
                  onChange={(v) => setFrom(v === null ? null : Number(v))}
                  allowDeselect={false}
                  w={120}
                  comboboxProps={{ withinPortal: true }}
                  data-testid="diff-from"
                />
                <Select
                  label="To"
                  data={options}
                  value={to === null ? null : String(to)}
                  onChange={(v) => setTo(v === null ? null : Number(v))}
                  allowDeselect={false}
                  w={120}
                  comboboxProps={{ withinPortal: true }}
                  data-testid="diff-to"
                />
              </Group>
              {from !== null && to !== null && from !== to ? (
                <VersionDiff workflowId={workflow.id} from={from} to={to} />
              ) : (
                <Text fz="sm" c="dimmed">
                  Pick two different versions.
                </Text>
              )}
            </>
          )}
        </Stack>
      </Card>
    </Stack>
  );
}
