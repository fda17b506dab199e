import { useState } from 'react';
import { Button, Card, Center, Group, Loader, SegmentedControl, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconRobot, IconSearch } from '@tabler/icons-react';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { TableSkeleton } from '../../../components/table-skeleton';
import type { AgentStatus } from '../api/agents.api';
import { useAgents } from '../hooks/use-agents';
import { useModels } from '../hooks/use-models';
import { AgentsTable } from './agents-table';

const FILTERS = [
  { value: 'ALL', label: 'All' },
  { value: 'ACTIVE', label: 'Active' },
  { value: 'INACTIVE', label: 'Inactive' },
  { value: 'ARCHIVED', label: 'Archived' },
];

export function AgentsPanel({ canManage }: { canManage: boolean }) {
  const [filter, setFilter] = useState('ALL');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);
  const status = filter === 'ALL' ? null : (filter as AgentStatus);
  const { agents, hasNextPage, loading, fetching, loadingMore, error, loadMore, reload } = useAgents(status, debounced);
  const { models } = useModels();
  const searching = search !== debounced || (fetching && agents.length > 0);
  const filtered = status !== null || debounced.trim() !== '';

  return (
    <Card withBorder radius="md" padding={0}>
      <Group px="lg" py="md" justify="space-between" gap="md" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <SegmentedControl data={FILTERS} value={filter} onChange={setFilter} aria-label="Filter by status" data-testid="agent-status-filter" />
        <TextInput
          aria-label="Search agents by name"
          placeholder="Search by name"
          leftSection={<IconSearch size={16} />}
          rightSection={searching ? <Loader size={14} /> : null}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          data-testid="agent-search"
          w={{ base: '100%', sm: 280 }}
        />
      </Group>
      {error && agents.length === 0 ? (
        <Card.Section p="lg">
          <ErrorAlert error={error} title="Could not load agents" onRetry={reload} />
        </Card.Section>
      ) : loading ? (
        <TableSkeleton rows={5} />
      ) : agents.length === 0 ? (
        <EmptyState
          icon={IconRobot}
          title={filtered ? 'No matching agents' : 'No agents yet'}
          description={
            filtered
              ? 'No agent matches this status and name. Try another filter.'
              : 'An agent is an LLM with instructions, tools and limits. Build one, test it here, then use it in workflows.'
          }
          testId="agents-empty"
          action={
            canManage && !filtered ? (
              <Button component={Link} to="/agents/new" leftSection={<IconPlus size={16} />} variant="light">
                Build your first agent
              </Button>
            ) : undefined
          }
        />
      ) : (
        <>
          <AgentsTable agents={agents} models={models} />
          {error ? (
            <Card.Section p="md">
              <ErrorAlert error={error} title="Could not load more agents" onRetry={loadMore} />
            </Card.Section>
          ) : null}
          {hasNextPage ? (
            <Center py="md">
              <Button variant="default" loading={loadingMore} onClick={loadMore} data-testid="agents-load-more">
                Load more
              </Button>
            </Center>
          ) : null}
        </>
      )}
    </Card>
  );
}
