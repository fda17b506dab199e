import { PageHeader } from '../../components/page-header';
import { PermissionNotice } from '../../components/permission-notice';
import { MarketplaceBrowser } from '../../features/marketplace/components/marketplace-browser';
import { useCurrentOrganization } from '../../lib/current-organization';

/** /marketplace. */
export function MarketplacePage() {
  const { organization, can } = useCurrentOrganization();
  return (
    <>
      <PageHeader title="Marketplace" description={`Plugins, agent templates and workflow templates to install in ${organization.name}.`} />
      {can('plugins:read') ? <MarketplaceBrowser /> : <PermissionNotice description="Your role cannot browse the marketplace." />}
    </>
  );
}
