import { Button } from '@mantine/core';
import { IconPlus, IconSitemap } from '@tabler/icons-react';
import { EmptyState } from '../../../components/empty-state';
import { ListPanel } from '../../../components/list-panel';
import { useListFilter } from '../../../lib/use-list-filter';
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
  const listFilter = useListFilter<WorkflowStatus>();
  const { status, debounced, filtered } = listFilter;
  const { workflows, ...list } = useWorkflows(status, debounced);

  return (
    <ListPanel
      listFilter={listFilter}
      filters={FILTERS}
      filterTestId="workflow-status-filter"
      searchLabel="Search workflows by name"
      searchTestId="workflow-search"
      list={{ ...list, count: workflows.length }}
      errorTitle="Could not load workflows"
      loadMoreErrorTitle="Could not load more workflows"
      loadMoreTestId="workflows-load-more"
      empty={
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
      }
    >
      <WorkflowsTable workflows={workflows} />
    </ListPanel>
  );
}
