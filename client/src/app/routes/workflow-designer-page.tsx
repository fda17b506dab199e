import { useParams } from 'react-router';
import { WorkflowDesigner } from '../../features/workflows/components/workflow-designer';
import { useCurrentOrganization } from '../../lib/current-organization';

/** /workflows/:id. */
export function WorkflowDesignerPage() {
  const { id = '' } = useParams();
  const { can } = useCurrentOrganization();
  return <WorkflowDesigner key={id} workflowId={id} can={can} />;
}
