import { useState } from 'react';
import { Button, Card, Center, Group, Loader, SegmentedControl, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch, IconSitemap } from '@tabler/icons-react';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { TableSkeleton } from '../../../components/table-skeleton';
import type { WorkflowStatus } from '../api/workflows.api';
import { useWorkflows } from '../hooks/use-workflows';
import { WorkflowsTable } from './workflows-table';

const FILTERS = [
  { value: 'ALL', label: 'All' },
  { value: 'DRAFT', label: 'Draft' },
  { value: 'ACTIVE', label: 'Active' },
  { value: 'ARCHIVED', label: 'Archived' },
];

export function WorkflowsPanel({ onCreate }: { onCreate: (() => void) | null }) {
  const [filter, setFilter] = useState('ALL');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);
  const status = filter === 'ALL' ? null : (filter as WorkflowStatus);
  const { workflows, hasNextPage, loading, fetching, loadingMore, error, loadMore, reload } = useWorkflows(status, debounced);
  const searching = search !== debounced || (fetching && workflows.length > 0);
  const filtered = status !== null || debounced.trim() !== '';

  return (
    <Card withBorder radius="md" padding={0}>
      <Group px="lg" py="md" justify="space-between" gap="md" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <SegmentedControl data={FILTERS} value={filter} onChange={setFilter} aria-label="Filter by status" data-testid="workflow-status-filter" />
        <TextInput
          aria-label="Search workflows by name"
          placeholder="Search by name"
          leftSection={<IconSearch size={16} />}
          rightSection={searching ? <Loader size={14} /> : null}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          data-testid="workflow-search"
          w={{ base: '100%', sm: 280 }}
        />
      </Group>
      {error && workflows.length === 0 ? (
        <Card.Section p="lg">
          <ErrorAlert error={error} title="Could not load workflows" onRetry={reload} />
        </Card.Section>
      ) : loading ? (
        <TableSkeleton rows={5} />
      ) : workflows.length === 0 ? (
        <EmptyState
          icon={IconSitemap}
          title={filtered ? 'No matching workflows' : 'No workflows yet'}
          description={
            filtered
              ? 'No workflow matches this status and name. Try another filter.'
              : 'A workflow chains agents, tools, conditions and approvals into a graph that runs by hand, on a webhook or on a schedule.'
          }
          testId="workflows-empty"
          action={
            onCreate && !filtered ? (
              <Button leftSection={<IconPlus size={16} />} variant="light" onClick={onCreate}>
                Create your first workflow
              </Button>
            ) : undefined
          }
        />
      ) : (
        <>
          <WorkflowsTable workflows={workflows} />
          {error ? (
            <Card.Section p="md">
              <ErrorAlert error={error} title="Could not load more workflows" onRetry={loadMore} />
            </Card.Section>
          ) : null}
          {hasNextPage ? (
            <Center py="md">
              <Button variant="default" loading={loadingMore} onClick={loadMore} data-testid="workflows-load-more">
                Load more
              </Button>
            </Center>
          ) : null}
        </>
      )}
    </Card>
  );
}
