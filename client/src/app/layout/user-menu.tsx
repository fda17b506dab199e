import { useState } from 'react';
import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLogout, IconSettings } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useClient } from 'urql';
import { LogoutMutation } from '../../features/auth/api/auth.api';
import { initials } from '../../lib/format';
import { clearSession } from '../../lib/session-store';

export function UserMenu({ name, email }: { name: string; email: string }) {
  const client = useClient();
  const navigate = useNavigate();
  const [leaving, setLeaving] = useState(false);

  const logout = async () => {
    setLeaving(true);
    // Revoke the refresh token server-side, but never keep someone signed in because it failed.
    await Promise.race([client.mutation(LogoutMutation, {}).toPromise(), new Promise((r) => setTimeout(r, 3000))]);
    clearSession();
    navigate('/login', { replace: true });
  };

  return (
    <Menu position="bottom-end" width={240} shadow="md" radius="md">
      <Menu.Target>
        <UnstyledButton data-testid="user-menu" aria-label="Account menu" px={6} py={4} style={{ borderRadius: 'var(--mantine-radius-md)' }}>
          <Group gap={8} wrap="nowrap">
            <Avatar radius="xl" size={32} color="initials" name={name}>
              {initials(name)}
            </Avatar>
            <Text fz="sm" fw={500} visibleFrom="sm" truncate maw={160}>
              {name}
            </Text>
            <IconChevronDown size={14} stroke={1.6} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text fz="sm" fw={600} c="var(--mantine-color-text)" truncate>
            {name}
          </Text>
          <Text fz="xs" c="dimmed" truncate data-testid="user-email">
            {email}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item leftSection={<IconSettings size={16} />} onClick={() => navigate('/settings')}>
          Organization settings
        </Menu.Item>
        <Menu.Item color="red" leftSection={<IconLogout size={16} />} onClick={logout} disabled={leaving} data-testid="logout-button">
          Log out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
