import { useState } from 'react';
import { Button } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { PageHeader } from '../../components/page-header';
import { NewWorkflowModal } from '../../features/workflows/components/new-workflow-modal';
import { WorkflowsPanel } from '../../features/workflows/components/workflows-panel';
import { useCurrentOrganization } from '../../lib/current-organization';

export function WorkflowsPage() {
  const { organization, can } = useCurrentOrganization();
  const manager = can('workflows:manage');
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title="Workflows"
        description={`The workflows of ${organization.name}: graphs of agents, tools, conditions and approvals.`}
        actions={
          manager ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="new-workflow-button">
              New workflow
            </Button>
          ) : null
        }
      />
      <WorkflowsPanel onCreate={manager ? () => setCreating(true) : null} />
      {creating ? <NewWorkflowModal opened onClose={() => setCreating(false)} /> : null}
    </>
  );
}
