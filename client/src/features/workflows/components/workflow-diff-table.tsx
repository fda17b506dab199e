import { Badge, Code, Group, Table, Text } from '@mantine/core';
import { LineDiffView } from '../../../components/line-diff-view';
import type { WorkflowFieldChange } from '../api/workflows.api';

const FIELD_LABELS: Record<string, string> = { name: 'Name', description: 'Description', status: 'Status' };

function fieldLabel(field: string): string {
  if (FIELD_LABELS[field]) return FIELD_LABELS[field];
  const node = /^nodes\.(.+)$/.exec(field);
  if (node) return `Node ${node[1]}`;
  const edge = /^edges\.(.+)$/.exec(field);
  if (edge) return `Connection ${edge[1]}`;
  return field;
}

const pretty = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value, null, 2));

function describeEdge(value: unknown): string {
  const edge = value as { source?: string; sourceOutput?: string; target?: string; targetInput?: string } | null;
  return edge ? `${edge.source ?? '?'}.${edge.sourceOutput ?? '?'} → ${edge.target ?? '?'}.${edge.targetInput ?? '?'}` : '';
}

function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <Text fz="sm" c="dimmed">—</Text>;
  if (typeof value === 'object') return <Code fz="xs">{JSON.stringify(value)}</Code>;
  return <Text fz="sm" style={{ overflowWrap: 'anywhere' }}>{String(value)}</Text>;
}

function Change({ change }: { change: WorkflowFieldChange }) {
  const { field, before, after } = change;
  const added = before === null || before === undefined;
  const removed = after === null || after === undefined;
  if (field.startsWith('edges.')) {
    return (
      <Text fz="sm" ff="monospace">
        {added ? <Badge size="xs" color="green" variant="light" mr={6}>added</Badge> : null}
        {removed ? <Badge size="xs" color="red" variant="light" mr={6}>removed</Badge> : null}
        {removed ? describeEdge(before) : added ? describeEdge(after) : `${describeEdge(before)}  ⇒  ${describeEdge(after)}`}
      </Text>
    );
  }
  if (field.startsWith('nodes.') || typeof before === 'object' || typeof after === 'object' || field === 'description') {
    return (
      <>
        {added ? <Badge size="xs" color="green" variant="light" mb={4}>added</Badge> : null}
        {removed ? <Badge size="xs" color="red" variant="light" mb={4}>removed</Badge> : null}
        <LineDiffView before={typeof before === 'string' ? before : pretty(before)} after={typeof after === 'string' ? after : pretty(after)} />
      </>
    );
  }
  return (
    <Group gap={6} wrap="wrap">
      <Value value={before} />
      <Text fz="sm" c="dimmed">
        →
      </Text>
      <Value value={after} />
    </Group>
  );
}

/** What changed between two workflow versions: fields, and nodes and connections by id. */
export function WorkflowDiffTable({ changes }: { changes: WorkflowFieldChange[] }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="sm" data-testid="version-diff-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={200}>Field</Table.Th>
            <Table.Th>Change</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {changes.map((change) => (
            <Table.Tr key={change.field} data-testid={`diff-row-${change.field}`}>
              <Table.Td fz="sm" fw={500} style={{ verticalAlign: 'top' }}>
                {fieldLabel(change.field)}
              </Table.Td>
              <Table.Td style={{ verticalAlign: 'top' }}>
                <Change change={change} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
