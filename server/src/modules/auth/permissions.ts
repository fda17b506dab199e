/**
 * The permission table: which organization roles may do what. Every mutation and guarded
 * field names one entry (or `public` / `user`), and a test walks every mutation for every role
 * against this table.
 */
export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const ALL: readonly Role[] = ROLES;
const MANAGERS: readonly Role[] = ['owner', 'admin'];
const BUILDERS: readonly Role[] = ['owner', 'admin', 'member'];

export const PERMISSIONS = {
  'organization:read': ALL,
  'organization:update': MANAGERS,
  'members:read': ALL,
  'members:invite': MANAGERS,
  'members:manage': MANAGERS,
  /** Granting, changing or removing the owner role. */
  'owners:manage': ['owner'],
  'apiKeys:manage': MANAGERS,
  'auditLog:read': MANAGERS,
  'outbox:read': MANAGERS,
  'agents:read': ALL,
  'agents:manage': BUILDERS,
  /** Chatting with an agent spends the organization's money and keys. */
  'agents:test': BUILDERS,
  'providerKeys:manage': MANAGERS,
  'workflows:read': ALL,
  'workflows:manage': BUILDERS,
  'runs:start': BUILDERS,
  'runs:manage': BUILDERS,
  /** Further limited per approval to its assignee role or higher. */
  'approvals:decide': BUILDERS,
  'plugins:read': ALL,
  /** Installing, upgrading (and consenting to new permissions) and uninstalling plugins. */
  'plugins:manage': MANAGERS,
  'plugins:publish': MANAGERS,
  /** Only organizations that installed a listing may review it (checked in the service). */
  'plugins:review': BUILDERS,
  /** Custom tools run only in the sandbox, like any plugin. */
  'customTools:manage': BUILDERS,
  'integrations:read': ALL,
  'integrations:manage': MANAGERS,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;
/** `public`: anyone; `user`: a signed-in person (not an API key), whatever their role. */
export type Access = 'public' | 'user' | Permission;

export function roleCan(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Rank for "you cannot grant more than you have" checks (owner highest). */
export function roleRank(role: Role): number {
  return ROLES.length - ROLES.indexOf(role);
}
