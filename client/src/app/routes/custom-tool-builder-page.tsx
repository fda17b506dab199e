import { Anchor, Card, Group, Stack } from '@mantine/core';
import { IconArrowLeft, IconTool } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { EmptyState } from '../../components/empty-state';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { PermissionNotice } from '../../components/permission-notice';
import { TableSkeleton } from '../../components/table-skeleton';
import { CustomToolBuilder } from '../../features/custom-tools/components/custom-tool-builder';
import { useCustomTool } from '../../features/custom-tools/hooks/use-custom-tool';
import { useCurrentOrganization } from '../../lib/current-organization';

function ExistingTool({ name }: { name: string }) {
  const { tool, loaded, error, reload } = useCustomTool(name);
  if (error) return <ErrorAlert error={error} title="Could not load the tool" onRetry={reload} />;
  if (!loaded) return <TableSkeleton rows={6} />;
  if (!tool) {
    return (
      <Card withBorder radius="md">
        <EmptyState icon={IconTool} title="No such tool" description={`This organization has no custom tool called "${name}".`} testId="custom-tool-not-found" />
      </Card>
    );
  }
  return <CustomToolBuilder existing={tool} />;
}

/** /tools/custom/new and /tools/custom/:name. */
export function CustomToolBuilderPage() {
  const { name } = useParams();
  const { can } = useCurrentOrganization();
  return (
    <Stack gap={0}>
      <Anchor component={Link} to="/tools/custom" fz="sm" mb="xs">
        <Group gap={4}>
          <IconArrowLeft size={14} />
          Custom tools
        </Group>
      </Anchor>
      <PageHeader title={name ? name : 'New custom tool'} description="Write it, test it in the sandbox, save it for your agents." />
      {!can('customTools:manage') ? (
        <PermissionNotice description="Only owners, admins and members can build custom tools." />
      ) : name ? (
        <ExistingTool key={name} name={name} />
      ) : (
        <CustomToolBuilder />
      )}
    </Stack>
  );
}
