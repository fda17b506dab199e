import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Grid, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconPlayerStop, IconRefresh, IconTimelineEventExclamation } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { RunStatusBadge } from '../../../components/run-status-badge';
import { TableSkeleton } from '../../../components/table-skeleton';
import { isActiveRun, nodeStatuses, runDurationMs, statusCounts } from '../../../editor/core/run-status';
import { LazyFlowCanvas } from '../../../editor/flow-canvas-lazy';
import { formatDateTime, formatDuration, formatRelative, formatUsd } from '../../../lib/format';
import { notifyError, notifySuccess } from '../../../lib/notify';
import type { Can } from '../../../lib/permissions';
import { CancelRunMutation, RetryRunMutation, RunQuery, type Run } from '../api/runs.api';
import { useDebouncedRefresh } from '../hooks/use-organization-run-events';
import { eventsOfNode } from '../hooks/run-events';
import { useRunDefinition } from '../hooks/use-run-definition';
import { useRunEvents, type RunEventsConnection } from '../hooks/use-run-events';
import { ApprovalDecision } from './approval-decision';
import { JsonBlock } from './json-block';
import { RunEventLog } from './run-event-log';
import { RunSteps } from './run-steps';
import { TaskPanel } from './task-panel';

const GRAPH_HEIGHT = 460;
const POLL_ACTIVE_MS = 15_000;

const CONNECTION_LABELS: Record<RunEventsConnection, { label: string; color: string }> = {
  live: { label: 'Live', color: 'teal' },
  reconnecting: { label: 'Reconnecting', color: 'orange' },
  ended: { label: 'Finished', color: 'gray' },
  failed: { label: 'No live updates', color: 'red' },
};

function RunFacts({ run }: { run: Run }) {
  const duration = runDurationMs(run);
  return (
    <span data-testid="run-facts">
      v{run.workflowVersion} · {run.trigger.toLowerCase()}
      {run.startedBy ? ` by ${run.startedBy.name}` : ''} · started {formatRelative(run.startedAt ?? run.createdAt)}
      {duration !== null ? ` · ${formatDuration(duration)}` : ''} · {(run.inputTokens + run.outputTokens).toLocaleString()} tokens ·{' '}
      <span data-testid="run-cost">{formatUsd(run.costUsd)}</span>
    </span>
  );
}

/** /runs/:id: the run's graph coloured live by task status, the selected step, approvals and the event log. */
export function RunMonitor({ runId, can }: { runId: string; can: Can }) {
  const navigate = useNavigate();
  const [{ data, error }, reexecute] = useQuery({ query: RunQuery, variables: { id: runId }, requestPolicy: 'cache-and-network' });
  const run = data?.run ?? null;
  const runRef = useRef(run);
  useLayoutEffect(() => {
    runRef.current = run;
  });
  // Correct over clever: every new event refetches the run (bursts coalesce into one request).
  const refetch = useDebouncedRefresh(() => reexecute({ requestPolicy: 'network-only' }), 250);
  const live = useRunEvents(runId, {
    onEvent: refetch,
    shouldResume: () => runRef.current === null || isActiveRun(runRef.current.status),
  });
  const { definition, fromOtherVersion } = useRunDefinition(run);
  // A safety net under the live events: an active run is read again every little while.
  const active = run !== null && isActiveRun(run.status);
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => reexecute({ requestPolicy: 'network-only' }), POLL_ACTIVE_MS);
    return () => clearInterval(timer);
  }, [active, reexecute]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [cancelState, cancel] = useMutation(CancelRunMutation);
  const [retryState, retry] = useMutation(RetryRunMutation);

  const tasks = useMemo(() => run?.tasks ?? [], [run]);
  const statuses = useMemo(() => (definition ? nodeStatuses(definition.nodes.map((n) => n.id), tasks) : {}), [definition, tasks]);
  const names = useMemo(() => Object.fromEntries((definition?.nodes ?? []).map((n) => [n.id, n.name])), [definition]);

  if (!run) {
    if (error) return <ErrorAlert error={error} title="Could not load the run" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
    if (data && !data.run) {
      return (
        <EmptyState
          icon={IconTimelineEventExclamation}
          title="Run not found"
          description="It may have been deleted, or it belongs to another organization."
          testId="run-not-found"
          action={
            <Button component={Link} to="/runs" variant="light">
              Back to runs
            </Button>
          }
        />
      );
    }
    return <TableSkeleton rows={8} />;
  }

  const canManage = can('runs:manage');
  const counts = statusCounts(statuses);
  const done = counts.SUCCEEDED + counts.FAILED + counts.SKIPPED + counts.CANCELLED;
  const pending = tasks.filter((t) => t.approval?.status === 'PENDING');
  const selectedNode = selectedId ? definition?.nodes.find((n) => n.id === selectedId) : undefined;
  // The last task of a node is its current state (a retried run may have several).
  const selectedTask = selectedId ? tasks.filter((t) => t.nodeId === selectedId).at(-1) : undefined;
  const connection = isActiveRun(run.status) ? CONNECTION_LABELS[live.connection] : CONNECTION_LABELS.ended;

  const cancelRun = async () => {
    const result = await cancel({ id: run.id });
    if (result.error) notifyError(result.error, 'Could not cancel the run');
    else notifySuccess('The run stops; steps already done keep their results.', 'Run cancelled');
  };
  const retryRun = async () => {
    const result = await retry({ id: run.id });
    const retried = result.data?.retryRun;
    if (!retried) {
      notifyError(result.error, 'Could not retry the run');
      return;
    }
    notifySuccess('The run continues from the failed step; completed steps are kept.', 'Run retried');
    if (retried.id !== run.id) navigate(`/runs/${encodeURIComponent(retried.id)}`);
    else live.resume();
  };

  return (
    <Stack gap="md" data-testid="run-monitor" data-run-status={run.status}>
      <Anchor component={Link} to="/runs" fz="sm">
        ← Runs
      </Anchor>
      <PageHeader
        title={run.workflow.name}
        description={<RunFacts run={run} />}
        actions={
          <>
            <Tooltip label={live.error && live.connection !== 'live' ? String((live.error as Error).message ?? live.error) : 'Updates as the run progresses'} withArrow>
              <Badge variant="dot" color={connection.color} data-testid="run-live" data-state={isActiveRun(run.status) ? live.connection : 'ended'}>
                {connection.label}
              </Badge>
            </Tooltip>
            <RunStatusBadge status={run.status} testId="run-status" size="lg" />
            <Button component={Link} to={`/workflows/${encodeURIComponent(run.workflow.id)}`} variant="default">
              Open workflow
            </Button>
            {canManage && isActiveRun(run.status) ? (
              <Button color="red" variant="light" leftSection={<IconPlayerStop size={16} />} loading={cancelState.fetching} onClick={() => void cancelRun()} data-testid="cancel-run">
                Cancel run
              </Button>
            ) : null}
            {canManage && run.status === 'FAILED' ? (
              <Button leftSection={<IconRefresh size={16} />} loading={retryState.fetching} onClick={() => void retryRun()} data-testid="retry-run">
                Retry from failed step
              </Button>
            ) : null}
          </>
        }
      />
      {run.error ? (
        <Alert color="red" variant="light" title={run.errorCode ? `Failed: ${run.errorCode}` : 'Failed'} data-testid="run-error">
          <Text fz="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {run.error}
          </Text>
        </Alert>
      ) : null}
      {pending.length > 0 ? (
        <Card withBorder radius="md" padding="md" style={{ borderColor: 'var(--mantine-color-orange-filled)' }} data-testid="run-pending-approvals">
          <Stack gap="md">
            <Text fw={600}>Waiting for approval</Text>
            {pending.map((task) => (
              <Stack key={task.id} gap={4} data-testid={`run-approval-${task.nodeId}`}>
                <Text fz="xs" c="dimmed">
                  {names[task.nodeId] ?? task.nodeId}
                </Text>
                <ApprovalDecision approval={task.approval!} canDecide={can('approvals:decide')} onDecided={refetch} />
              </Stack>
            ))}
          </Stack>
        </Card>
      ) : null}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Card withBorder radius="md" padding={0}>
            <Group justify="space-between" px="md" py="xs" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
              <Text fz="sm" fw={600}>
                Graph
              </Text>
              <Text fz="xs" c="dimmed" data-testid="run-progress">
                {done} of {definition?.nodes.length ?? 0} steps done
                {counts.RUNNING ? ` · ${counts.RUNNING} running` : ''}
                {counts.WAITING ? ` · ${counts.WAITING} waiting` : ''}
              </Text>
            </Group>
            {fromOtherVersion ? (
              <Text fz="xs" c="orange" px="md" pt="xs">
                Version {run.workflowVersion} is no longer available; this is the current graph.
              </Text>
            ) : null}
            {definition ? (
              <LazyFlowCanvas
                key={`${run.workflow.id}:${run.workflowVersion}:${fromOtherVersion ? 'current' : 'ran'}`}
                definition={definition}
                readOnly
                statuses={statuses}
                selectedNodeId={selectedId}
                onSelect={setSelectedId}
                testId="run-graph"
                height={GRAPH_HEIGHT}
              />
            ) : (
              <TableSkeleton rows={4} />
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Card withBorder radius="md" padding="md" mih={GRAPH_HEIGHT}>
            {selectedId ? (
              <Stack gap="xs">
                <Anchor component="button" type="button" fz="xs" onClick={() => setSelectedId(null)} style={{ alignSelf: 'flex-start' }} data-testid="task-panel-close">
                  ← All steps
                </Anchor>
                <TaskPanel key={selectedId} nodeId={selectedId} node={selectedNode} task={selectedTask} events={eventsOfNode(live.events, selectedId)} />
              </Stack>
            ) : (
              <Stack gap="sm">
                <Text fz="sm" c="dimmed">
                  Select a step to see its input, output, cost and events.
                </Text>
                <RunSteps nodes={definition?.nodes ?? []} statuses={statuses} selectedId={selectedId} onSelect={setSelectedId} />
              </Stack>
            )}
          </Card>
        </Grid.Col>
      </Grid>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder radius="md" padding="md">
            <Text fw={600} mb="xs">
              Input
            </Text>
            <JsonBlock value={run.input} testId="run-input-view" empty="No input" />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder radius="md" padding="md">
            <Text fw={600} mb="xs">
              Output
            </Text>
            <JsonBlock value={run.output} testId="run-output" empty={run.status === 'SUCCEEDED' ? 'No output' : 'Not finished'} />
            {run.finishedAt ? (
              <Text fz="xs" c="dimmed" mt="xs">
                Finished {formatDateTime(run.finishedAt)}
              </Text>
            ) : null}
          </Card>
        </Grid.Col>
      </Grid>
      <RunEventLog events={live.events} nodeNames={names} onSelectNode={setSelectedId} />
    </Stack>
  );
}
