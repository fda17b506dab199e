import { Badge } from '@mantine/core';
import { ROLE_COLORS, ROLE_LABELS, type Role } from '../lib/roles';

export function RoleBadge({ role, size = 'sm' }: { role: Role; size?: 'xs' | 'sm' | 'md' }) {
  return (
    <Badge color={ROLE_COLORS[role]} variant="light" size={size} radius="sm" data-testid={`role-badge-${role}`}>
      {ROLE_LABELS[role]}
    </Badge>
  );
}
