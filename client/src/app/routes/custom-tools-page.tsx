import { Button } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { PermissionNotice } from '../../components/permission-notice';
import { CustomToolsList } from '../../features/custom-tools/components/custom-tools-list';
import { useCurrentOrganization } from '../../lib/current-organization';

/** /tools/custom. */
export function CustomToolsPage() {
  const { organization, can } = useCurrentOrganization();
  const manager = can('customTools:manage');
  return (
    <>
      <PageHeader
        title="Custom tools"
        description={`Tools written in JavaScript for ${organization.name}'s agents, run in the plugin sandbox.`}
        actions={
          manager ? (
            <Button component={Link} to="/tools/custom/new" leftSection={<IconPlus size={16} />} data-testid="new-custom-tool-button">
              New custom tool
            </Button>
          ) : null
        }
      />
      {can('plugins:read') ? <CustomToolsList canManage={manager} /> : <PermissionNotice description="Your role cannot see this organization's tools." />}
    </>
  );
}
