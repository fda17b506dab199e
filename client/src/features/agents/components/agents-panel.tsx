import { Button } from '@mantine/core';
import { IconPlus, IconRobot } from '@tabler/icons-react';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/empty-state';
import { ListPanel } from '../../../components/list-panel';
import { useListFilter } from '../../../lib/use-list-filter';
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
  const listFilter = useListFilter<AgentStatus>();
  const { status, debounced, filtered } = listFilter;
  const { agents, ...list } = useAgents(status, debounced);
  const { models } = useModels();

  return (
    <ListPanel
      listFilter={listFilter}
      filters={FILTERS}
      filterTestId="agent-status-filter"
      searchLabel="Search agents by name"
      searchTestId="agent-search"
      list={{ ...list, count: agents.length }}
      errorTitle="Could not load agents"
      loadMoreErrorTitle="Could not load more agents"
      loadMoreTestId="agents-load-more"
      empty={
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
      }
    >
      <AgentsTable agents={agents} models={models} />
    </ListPanel>
  );
}
