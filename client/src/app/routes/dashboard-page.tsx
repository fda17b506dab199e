import { PageHeader } from '../../components/page-header';
import { Dashboard } from '../../features/runs/components/dashboard';
import { useCurrentOrganization } from '../../lib/current-organization';

export function DashboardPage() {
  const { organization } = useCurrentOrganization();
  return (
    <>
      <PageHeader title="Dashboard" description={`How the workflows of ${organization.name} are running.`} />
      <Dashboard />
    </>
  );
}
