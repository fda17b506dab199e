export const ROLES = ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  OWNER: 'Owner',
  ADMIN: 'Admin',
  MEMBER: 'Member',
  VIEWER: 'Viewer',
};

export const ROLE_COLORS: Record<Role, string> = {
  OWNER: 'grape',
  ADMIN: 'indigo',
  MEMBER: 'teal',
  VIEWER: 'gray',
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  OWNER: 'Full control, including owners and billing',
  ADMIN: 'Manages members, API keys and settings',
  MEMBER: 'Builds and runs agents',
  VIEWER: 'Read-only access',
};

/** Mirrors the server's table (members:manage, apiKeys:manage, auditLog:read): UI hints only. */
export function canManage(role: Role | undefined): boolean {
  return role === 'OWNER' || role === 'ADMIN';
}

/** Only owners grant, change or remove the owner role. */
export function canAssign(actor: Role | undefined, target: Role): boolean {
  return canManage(actor) && (target !== 'OWNER' || actor === 'OWNER');
}

export function roleOptions(actor: Role | undefined): { value: Role; label: string; disabled: boolean }[] {
  return ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role], disabled: !canAssign(actor, role) }));
}
