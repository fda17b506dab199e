import { Button, Card, Center, Group, Select } from '@mantine/core';
import { IconTimeline } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { TableSkeleton } from '../../../components/table-skeleton';
import { RUN_STATUS_LOOK, RUN_STATUSES, type RunStatus } from '../../../editor/core/run-status';
import { RunWorkflowOptionsQuery } from '../api/runs.api';
import { useDebouncedRefresh, useOrganizationRunEvents } from '../hooks/use-organization-run-events';
import { useRuns } from '../hooks/use-runs';
import { RunsTable } from './runs-table';

const STATUS_OPTIONS = RUN_STATUSES.map((status) => ({ value: status, label: RUN_STATUS_LOOK[status].label }));

/** Runs with filters kept in the URL (?workflowId=&status=), refreshed as runs progress. */
export function RunsPanel() {
  const [params, setParams] = useSearchParams();
  const workflowId = params.get('workflowId');
  const statusParam = params.get('status');
  const status = statusParam && (RUN_STATUSES as string[]).includes(statusParam) ? (statusParam as RunStatus) : null;
  const [{ data: options }] = useQuery({ query: RunWorkflowOptionsQuery });
  const { runs, hasNextPage, loading, loadingMore, error, loadMore, reload, refresh } = useRuns(workflowId, status);
  useOrganizationRunEvents(useDebouncedRefresh(refresh, 1000));
  const workflows = options?.workflows.edges.map((e) => ({ value: e.node.id, label: e.node.name })) ?? [];
  if (workflowId && !workflows.some((w) => w.value === workflowId)) workflows.push({ value: workflowId, label: 'This workflow' });
  const setFilter = (key: string, value: string | null) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });
  const filtered = workflowId !== null || status !== null;

  return (
    <Card withBorder radius="md" padding={0}>
      <Group px="lg" py="md" gap="md" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Select
          aria-label="Filter by workflow"
          placeholder="All workflows"
          data={workflows}
          value={workflowId}
          onChange={(value) => setFilter('workflowId', value)}
          clearable
          searchable
          w={260}
          comboboxProps={{ withinPortal: true }}
          data-testid="runs-workflow-filter"
        />
        <Select
          aria-label="Filter by status"
          placeholder="Any status"
          data={STATUS_OPTIONS}
          value={status}
          onChange={(value) => setFilter('status', value)}
          clearable
          w={180}
          comboboxProps={{ withinPortal: true }}
          data-testid="runs-status-filter"
        />
      </Group>
      {error && runs.length === 0 ? (
        <Card.Section p="lg">
          <ErrorAlert error={error} title="Could not load runs" onRetry={reload} />
        </Card.Section>
      ) : loading ? (
        <TableSkeleton rows={6} />
      ) : runs.length === 0 ? (
        <EmptyState
          icon={IconTimeline}
          title={filtered ? 'No matching runs' : 'No runs yet'}
          description={filtered ? 'No run matches these filters.' : 'Runs appear here when a workflow starts: by hand, on its webhook or on its schedule.'}
          testId="runs-empty"
        />
      ) : (
        <>
          <RunsTable runs={runs} />
          {error ? (
            <Card.Section p="md">
              <ErrorAlert error={error} title="Could not load more runs" onRetry={loadMore} />
            </Card.Section>
          ) : null}
          {hasNextPage ? (
            <Center py="md">
              <Button variant="default" loading={loadingMore} onClick={loadMore} data-testid="runs-load-more">
                Load more
              </Button>
            </Center>
          ) : null}
        </>
      )}
    </Card>
  );
}
