import { PageHeader } from '../../components/page-header';
import { PermissionNotice } from '../../components/permission-notice';
import { AuditLogPanel } from '../../features/audit-log/components/audit-log-panel';
import { useCurrentOrganization } from '../../lib/current-organization';

export function AuditLogPage() {
  const { organization, can } = useCurrentOrganization();
  return (
    <>
      <PageHeader title="Audit log" description={`Who did what in ${organization.name}, newest first.`} />
      {can('auditLog:read') ? (
        <AuditLogPanel />
      ) : (
        <PermissionNotice description="Only owners and admins can read the audit log." />
      )}
    </>
  );
}
