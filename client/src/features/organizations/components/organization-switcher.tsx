import { useState } from 'react';
import { Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconBuildingSkyscraper, IconCheck, IconPlus, IconSelector } from '@tabler/icons-react';
import { RoleBadge } from '../../../components/role-badge';
import type { OrganizationSummary } from '../../../lib/current-organization';
import type { ViewerOrganization } from '../api/organizations.api';
import { CreateOrganizationModal } from './create-organization-modal';

interface OrganizationSwitcherProps {
  organizations: OrganizationSummary[];
  activeId: string | null;
  onSwitch: (organizationId: string) => void;
  onCreated: (organization: ViewerOrganization) => void;
}

export function OrganizationSwitcher({ organizations, activeId, onSwitch, onCreated }: OrganizationSwitcherProps) {
  const [creating, setCreating] = useState(false);
  const active = organizations.find((o) => o.id === activeId);

  return (
    <>
      <Menu position="bottom-start" width={300} shadow="md" radius="md" withinPortal>
        <Menu.Target>
          <UnstyledButton
            data-testid="org-switcher"
            aria-label="Switch organization"
            px="sm"
            py={6}
            style={{ borderRadius: 'var(--mantine-radius-md)', border: '1px solid var(--mantine-color-default-border)' }}
          >
            <Group gap="xs" wrap="nowrap">
              <IconBuildingSkyscraper size={18} stroke={1.6} />
              <Text fw={600} fz="sm" truncate maw={180} data-testid="active-org-name">
                {active?.name ?? 'No organization'}
              </Text>
              {active ? <RoleBadge role={active.role} size="xs" /> : null}
              <IconSelector size={16} stroke={1.6} color="var(--mantine-color-dimmed)" />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Organizations</Menu.Label>
          {organizations.map((org) => (
            <Menu.Item
              key={org.id}
              onClick={() => org.id !== activeId && onSwitch(org.id)}
              data-testid={`org-option-${org.name}`}
              rightSection={org.id === activeId ? <IconCheck size={16} /> : <RoleBadge role={org.role} size="xs" />}
            >
              <Text fz="sm" truncate maw={190}>
                {org.name}
              </Text>
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="create-org-open">
            Create organization
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <CreateOrganizationModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(org) => {
          setCreating(false);
          onCreated(org);
        }}
      />
    </>
  );
}
