import { Alert, Badge, Code, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { formatDuration } from '../../../lib/format';
import type { ToolTestResult } from '../api/custom-tools.api';

const LEVEL_COLORS: Record<string, string> = { debug: 'gray', info: 'blue', warn: 'orange', error: 'red' };

function Json({ value, testId }: { value: unknown; testId: string }) {
  return (
    <Code block fz="xs" data-testid={testId} style={{ maxHeight: 320, overflow: 'auto', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {value === undefined ? 'undefined' : JSON.stringify(value, null, 2)}
    </Code>
  );
}

/** What a sandbox test run gave back: the output or the error with its code, the tool's log and the time taken. */
export function TestResultPanel({ result }: { result: ToolTestResult }) {
  return (
    <Paper withBorder radius="md" p="md" data-testid="tool-test-result" data-ok={result.ok ? 'true' : 'false'}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Badge color={result.ok ? 'teal' : 'red'} variant="light" data-testid="tool-test-status">
            {result.ok ? 'Succeeded' : 'Failed'}
          </Badge>
          <Text fz="xs" c="dimmed" data-testid="tool-test-duration">
            {formatDuration(result.durationMs)}
          </Text>
        </Group>
        {result.ok ? (
          <Stack gap={4}>
            <Text fz="sm" fw={600}>
              Output
            </Text>
            <Json value={result.output} testId="tool-test-output" />
          </Stack>
        ) : (
          <Alert color="red" variant="light" radius="md" title={result.errorCode ?? 'Error'} data-testid="tool-test-error" data-code={result.errorCode ?? ''}>
            <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {result.error ?? 'The tool failed without a message.'}
            </Text>
          </Alert>
        )}
        <Stack gap={4}>
          <Text fz="sm" fw={600}>
            Log
          </Text>
          {result.logs.length === 0 ? (
            <Text fz="xs" c="dimmed" data-testid="tool-test-logs-empty">
              Nothing logged (ctx.log writes here).
            </Text>
          ) : (
            <Table fz="xs" verticalSpacing={4} data-testid="tool-test-logs">
              <Table.Tbody>
                {result.logs.map((log, i) => (
                  <Table.Tr key={i} data-testid="tool-test-log" data-level={log.level}>
                    <Table.Td w={70}>
                      <Badge size="xs" variant="light" color={LEVEL_COLORS[log.level] ?? 'gray'}>
                        {log.level}
                      </Badge>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                      {log.message}
                      {log.data !== null && log.data !== undefined ? <Code fz="xs" ml={6}>{JSON.stringify(log.data)}</Code> : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </Stack>
    </Paper>
  );
}
