import { PageHeader } from '../../components/page-header';
import { PermissionNotice } from '../../components/permission-notice';
import { IntegrationsPanel } from '../../features/integrations/components/integrations-panel';
import { useCurrentOrganization } from '../../lib/current-organization';
import { SettingsTabs } from './settings-tabs';

/** /settings/integrations. */
export function IntegrationsSettingsPage() {
  const { can } = useCurrentOrganization();
  return (
    <>
      <PageHeader title="Settings" description="Manage this organization." />
      <SettingsTabs active="integrations" />
      {can('integrations:read') ? (
        <IntegrationsPanel canManage={can('integrations:manage')} />
      ) : (
        <PermissionNotice description="Your role cannot see this organization's integrations." />
      )}
    </>
  );
}
