import { PageHeader } from '../../components/page-header';
import { RunsPanel } from '../../features/runs/components/runs-panel';
import { useCurrentOrganization } from '../../lib/current-organization';

export function RunsPage() {
  const { organization } = useCurrentOrganization();
  return (
    <>
      <PageHeader title="Runs" description={`Every run of the workflows of ${organization.name}, newest first.`} />
      <RunsPanel />
    </>
  );
}
