import { Button } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { AgentsPanel } from '../../features/agents/components/agents-panel';
import { useCurrentOrganization } from '../../lib/current-organization';

export function AgentsPage() {
  const { organization, can } = useCurrentOrganization();
  const manager = can('agents:manage');
  return (
    <>
      <PageHeader
        title="Agents"
        description={`The AI agents of ${organization.name}: their instructions, models, tools and limits.`}
        actions={
          manager ? (
            <Button component={Link} to="/agents/new" leftSection={<IconPlus size={16} />} data-testid="new-agent-button">
              New agent
            </Button>
          ) : null
        }
      />
      <AgentsPanel canManage={manager} />
    </>
  );
}
