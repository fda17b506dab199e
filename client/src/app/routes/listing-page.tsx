import { useParams } from 'react-router';
import { PermissionNotice } from '../../components/permission-notice';
import { ListingDetail } from '../../features/marketplace/components/listing-detail';
import { useCurrentOrganization } from '../../lib/current-organization';

/** /marketplace/:name. */
export function ListingPage() {
  const { name = '' } = useParams();
  const { can } = useCurrentOrganization();
  if (!can('plugins:read')) return <PermissionNotice description="Your role cannot browse the marketplace." />;
  return <ListingDetail key={name} name={name} can={can} />;
}
