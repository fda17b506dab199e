import { Card, Code, CopyButton, Group, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { RoleBadge } from '../../components/role-badge';
import { ModelProvidersPanel } from '../../features/model-providers/components/model-providers-panel';
import { LeaveOrganizationCard } from '../../features/organizations/components/leave-organization-card';
import { RenameOrganizationForm } from '../../features/organizations/components/rename-organization-form';
import { useCurrentOrganization } from '../../lib/current-organization';
import { notifySuccess } from '../../lib/notify';
import { setActiveOrganization } from '../../lib/session-store';
import { SettingsTabs } from './settings-tabs';

export function SettingsPage() {
  const { organization, organizations, can, refresh } = useCurrentOrganization();
  const navigate = useNavigate();

  const onLeft = (leftId: string) => {
    const next = organizations.find((o) => o.id !== leftId);
    notifySuccess(`You left ${organization.name}.`, 'Left organization');
    setActiveOrganization(next?.id ?? null);
    navigate('/members', { replace: true });
  };

  return (
    <>
      <PageHeader title="Settings" description="Manage this organization." />
      <SettingsTabs active="general" />
      <Stack gap="lg">
        <Card withBorder radius="md" padding="lg">
          <Stack gap="lg">
            <Group justify="space-between" wrap="wrap">
              <Stack gap={2}>
                <Text fw={600}>General</Text>
                <Text fz="sm" c="dimmed">
                  The name everyone in the organization sees.
                </Text>
              </Stack>
              <Group gap="xs">
                <Text fz="sm" c="dimmed">
                  Your role
                </Text>
                <RoleBadge role={organization.role} />
              </Group>
            </Group>
            <RenameOrganizationForm
              key={organization.name}
              currentName={organization.name}
              disabled={!can('organization:update')}
              onRenamed={refresh}
            />
            <Group gap="xs">
              <Text fz="sm" c="dimmed">
                Organization ID
              </Text>
              <CopyButton value={organization.id}>
                {({ copied, copy }) => (
                  <Tooltip label={copied ? 'Copied' : 'Copy ID'} withArrow>
                    <UnstyledButton onClick={copy} aria-label="Copy organization ID">
                      <Code data-testid="organization-id">{organization.id}</Code>
                    </UnstyledButton>
                  </Tooltip>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </Card>
        {can('providerKeys:manage') ? <ModelProvidersPanel /> : null}
        <LeaveOrganizationCard organizationName={organization.name} onLeft={onLeft} />
      </Stack>
    </>
  );
}
