import { PageHeader } from '../../components/page-header';
import { ApprovalsInbox } from '../../features/runs/components/approvals-inbox';
import { useCurrentOrganization } from '../../lib/current-organization';

export function ApprovalsPage() {
  const { can } = useCurrentOrganization();
  return (
    <>
      <PageHeader title="Approvals" description="Workflow steps waiting for your decision, oldest first." />
      <ApprovalsInbox canDecide={can('approvals:decide')} />
    </>
  );
}
