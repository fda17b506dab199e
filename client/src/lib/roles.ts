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

/** The roles as Select options; `disabled` says which ones the caller may not pick. */
export function roleOptions(disabled: (role: Role) => boolean): { value: Role; label: string; disabled: boolean }[] {
  return ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role], disabled: disabled(role) }));
}
