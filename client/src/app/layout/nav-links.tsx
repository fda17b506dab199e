import type { ReactNode } from 'react';
import { NavLink, Stack } from '@mantine/core';
import {
  IconBuildingStore,
  IconChecklist,
  IconHistory,
  IconKey,
  IconLayoutDashboard,
  IconRobot,
  IconSettings,
  IconSitemap,
  IconTimeline,
  IconTool,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';
import { ApprovalsCountBadge } from '../../features/runs/components/approvals-count-badge';

const LINKS: { to: string; label: string; icon: Icon; testId: string; badge?: () => ReactNode }[] = [
  { to: '/dashboard', label: 'Dashboard', icon: IconLayoutDashboard, testId: 'nav-dashboard' },
  { to: '/agents', label: 'Agents', icon: IconRobot, testId: 'nav-agents' },
  { to: '/workflows', label: 'Workflows', icon: IconSitemap, testId: 'nav-workflows' },
  { to: '/runs', label: 'Runs', icon: IconTimeline, testId: 'nav-runs' },
  { to: '/approvals', label: 'Approvals', icon: IconChecklist, testId: 'nav-approvals', badge: () => <ApprovalsCountBadge /> },
  { to: '/marketplace', label: 'Marketplace', icon: IconBuildingStore, testId: 'nav-marketplace' },
  { to: '/tools/custom', label: 'Custom tools', icon: IconTool, testId: 'nav-custom-tools' },
  { to: '/members', label: 'Members', icon: IconUsers, testId: 'nav-members' },
  { to: '/api-keys', label: 'API keys', icon: IconKey, testId: 'nav-api-keys' },
  { to: '/audit-log', label: 'Audit log', icon: IconHistory, testId: 'nav-audit-log' },
  { to: '/settings', label: 'Settings', icon: IconSettings, testId: 'nav-settings' },
];

/** `live`: an organization is active, so counts (pending approvals) can be shown. */
export function NavLinks({ onNavigate, live = false }: { onNavigate: () => void; live?: boolean }) {
  const { pathname } = useLocation();
  return (
    <Stack gap={4} component="nav" aria-label="Main">
      {LINKS.map(({ to, label, icon: IconComponent, testId, badge }) => (
        <NavLink
          key={to}
          component={Link}
          to={to}
          label={label}
          leftSection={<IconComponent size={18} stroke={1.6} />}
          rightSection={live && badge ? badge() : undefined}
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
