import { useParams } from 'react-router';
import { RunMonitor } from '../../features/runs/components/run-monitor';
import { useCurrentOrganization } from '../../lib/current-organization';

/** /runs/:id. */
export function RunMonitorPage() {
  const { id = '' } = useParams();
  const { can } = useCurrentOrganization();
  return <RunMonitor key={id} runId={id} can={can} />;
}
