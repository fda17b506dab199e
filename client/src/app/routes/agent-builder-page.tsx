import { useParams } from 'react-router';
import { PermissionNotice } from '../../components/permission-notice';
import { AgentEditor } from '../../features/agents/components/agent-editor';
import { NewAgentBuilder } from '../../features/agents/components/new-agent-builder';
import { useCurrentOrganization } from '../../lib/current-organization';

/** /agents/new and /agents/:id. */
export function AgentBuilderPage() {
  const { id } = useParams();
  const { can } = useCurrentOrganization();
  if (id) return <AgentEditor key={id} agentId={id} can={can} />;
  if (!can('agents:manage')) return <PermissionNotice description="Only owners, admins and members can create agents." />;
  return <NewAgentBuilder />;
}
