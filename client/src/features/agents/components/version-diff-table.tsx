import { Code, Table, Text } from '@mantine/core';
import type { AgentFieldChange } from '../api/agents.api';
import { LineDiffView } from '../../../components/line-diff-view';

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  role: 'Role',
  instructions: 'Instructions',
  model: 'Model',
  tools: 'Tools',
  status: 'Status',
  'config.temperature': 'Temperature',
  'config.maxOutputTokens': 'Max output tokens',
  'config.maxSteps': 'Max steps',
  'config.maxCostPerRunUsd': 'Max cost per run (USD)',
  'config.maxCostPerMonthUsd': 'Max cost per month (USD)',
  'config.fallbackModels': 'Fallback models',
  'config.cacheEnabled': 'Cache',
  'config.piiPolicy': 'PII policy',
};

const isLong = (v: unknown) => typeof v === 'string' && (v.includes('\n') || v.length > 80);

/** Long or multi-line text reads better as a line diff than side by side. */
function isLongText(change: AgentFieldChange): boolean {
  return change.field === 'instructions' || isLong(change.before) || isLong(change.after);
}

function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <Text fz="sm" c="dimmed">—</Text>;
  if (typeof value === 'boolean') return <Text fz="sm">{value ? 'On' : 'Off'}</Text>;
  if (Array.isArray(value)) {
    return value.length === 0 ? <Text fz="sm" c="dimmed">none</Text> : <Text fz="sm">{value.map(String).join(', ')}</Text>;
  }
  if (typeof value === 'object') return <Code fz="xs">{JSON.stringify(value)}</Code>;
  return <Text fz="sm" style={{ overflowWrap: 'anywhere' }}>{String(value)}</Text>;
}

export function VersionDiffTable({ changes }: { changes: AgentFieldChange[] }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="sm" data-testid="version-diff-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={200}>Field</Table.Th>
            <Table.Th>Before</Table.Th>
            <Table.Th>After</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {changes.map((change) => (
            <Table.Tr key={change.field} data-testid={`diff-row-${change.field}`}>
              <Table.Td fz="sm" fw={500} style={{ verticalAlign: 'top' }}>
                {FIELD_LABELS[change.field] ?? change.field}
              </Table.Td>
              {isLongText(change) ? (
                <Table.Td colSpan={2}>
                  <LineDiffView before={typeof change.before === 'string' ? change.before : ''} after={typeof change.after === 'string' ? change.after : ''} />
                </Table.Td>
              ) : (
                <>
                  <Table.Td style={{ verticalAlign: 'top' }}>
                    <Value value={change.before} />
                  </Table.Td>
                  <Table.Td style={{ verticalAlign: 'top' }}>
                    <Value value={change.after} />
                  </Table.Td>
                </>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
