import { Badge, Code, Group, SimpleGrid, Stack, Text, Title, Alert } from '@mantine/core';
import type { DefinitionNode } from '../../../editor/core/definition';
import { nodeTypeInfo } from '../../../editor/core/definition';
import { NODE_STATUS_LOOK } from '../../../editor/core/run-status';
import { formatDateTime, formatDuration, formatUsd } from '../../../lib/format';
import type { RunEvent, Task } from '../api/runs.api';
import { JsonBlock } from './json-block';

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text fz="xs" c="dimmed">
        {label}
      </Text>
      <Text fz="sm" data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

interface TaskPanelProps {
  nodeId: string;
  node: DefinitionNode | undefined;
  task: Task | undefined;
  events: readonly RunEvent[];
}

/** One node of the run: its task's status, input, output, branch, error, attempts, tokens, cost and events. */
export function TaskPanel({ nodeId, node, task, events }: TaskPanelProps) {
  const look = NODE_STATUS_LOOK[task?.status ?? 'PENDING'];
  return (
    <Stack gap="sm" data-testid="task-panel" data-node-id={nodeId}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2}>
          <Group gap={6}>
            <Badge variant="light" size="sm">
              {nodeTypeInfo(node?.type ?? task?.nodeType ?? 'unknown').label}
            </Badge>
            <Code fz="xs">{nodeId}</Code>
          </Group>
          <Title order={4} fz="md">
            {node?.name ?? nodeId}
          </Title>
        </Stack>
        <Badge color={look.color} variant="light" data-testid="task-status" data-status={task?.status ?? 'PENDING'}>
          {look.label}
        </Badge>
      </Group>
      {!task ? (
        <Text fz="sm" c="dimmed" data-testid="task-not-started">
          This step has not started.
        </Text>
      ) : (
        <>
          {task.error ? (
            <Alert color="red" variant="light" title="Error" data-testid="task-error">
              <Text fz="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {task.error}
              </Text>
            </Alert>
          ) : null}
          <SimpleGrid cols={2} spacing="xs" verticalSpacing="xs">
            <Fact label="Branch taken" value={task.outputPort ?? '—'} testId="task-output-port" />
            <Fact label="Attempts" value={String(task.attempts)} testId="task-attempts" />
            <Fact label="Tokens (in / out)" value={`${task.inputTokens.toLocaleString()} / ${task.outputTokens.toLocaleString()}`} testId="task-tokens" />
            <Fact label="Cost" value={formatUsd(task.costUsd)} testId="task-cost" />
            <Fact label="Started" value={formatDateTime(task.startedAt)} />
            <Fact label="Duration" value={task.durationMs === null ? '—' : formatDuration(task.durationMs)} testId="task-duration" />
          </SimpleGrid>
          <Stack gap={4}>
            <Text fz="xs" c="dimmed">
              Input (resolved config)
            </Text>
            <JsonBlock value={task.input} testId="task-input" maxHeight={200} />
          </Stack>
          <Stack gap={4}>
            <Text fz="xs" c="dimmed">
              Output
            </Text>
            <JsonBlock value={task.output} testId="task-output" maxHeight={240} />
          </Stack>
          {task.approval ? (
            <Text fz="sm" data-testid="task-approval">
              Approval: {task.approval.status.toLowerCase().replace('_', ' ')}
              {task.approval.decidedBy ? ` by ${task.approval.decidedBy.name}` : ''}
              {task.approval.comment ? ` — “${task.approval.comment}”` : ''}
            </Text>
          ) : null}
        </>
      )}
      <Stack gap={4}>
        <Text fz="xs" c="dimmed">
          Events
        </Text>
        {events.length === 0 ? (
          <Text fz="sm" c="dimmed">
            None yet.
          </Text>
        ) : (
          <Stack gap={2} data-testid="task-events">
            {events.map((event) => (
              <Text key={event.id} fz="xs" data-testid="task-event" data-type={event.type}>
                <Code fz="xs">{event.type}</Code> {event.message ?? ''}
              </Text>
            ))}
          </Stack>
        )}
      </Stack>
    </Stack>
  );
}
