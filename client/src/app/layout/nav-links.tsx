import { NavLink, Stack } from '@mantine/core';
import { IconHistory, IconKey, IconRobot, IconSettings, IconUsers, type Icon } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';

const LINKS: { to: string; label: string; icon: Icon; testId: string }[] = [
  { to: '/agents', label: 'Agents', icon: IconRobot, testId: 'nav-agents' },
  { to: '/members', label: 'Members', icon: IconUsers, testId: 'nav-members' },
  { to: '/api-keys', label: 'API keys', icon: IconKey, testId: 'nav-api-keys' },
  { to: '/audit-log', label: 'Audit log', icon: IconHistory, testId: 'nav-audit-log' },
  { to: '/settings', label: 'Settings', icon: IconSettings, testId: 'nav-settings' },
];

export function NavLinks({ onNavigate }: { onNavigate: () => void }) {
  const { pathname } = useLocation();
  return (
    <Stack gap={4} component="nav" aria-label="Main">
      {LINKS.map(({ to, label, icon: IconComponent, testId }) => (
        <NavLink
          key={to}
          component={Link}
          to={to}
          label={label}
          leftSection={<IconComponent size={18} stroke={1.6} />}
          active={pathname === to || pathname.startsWith(`${to}/`)}
          onClick={onNavigate}
          data-testid={testId}
          style={{ borderRadius: 'var(--mantine-radius-md)' }}
          fw={500}
        />
      ))}
    </Stack>
  );
}
