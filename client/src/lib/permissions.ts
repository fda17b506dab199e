/**
 * The permission keys the app gates controls on. Which roles hold which permission is the server's
 * table (server/src/modules/auth/permissions.ts); the app never copies it and only reads the caller's
 * `Organization.permissions`. The schema contract test checks these keys against that table.
 */
export const PERMISSIONS = [
  'organization:read',
  'organization:update',
  'members:read',
  'members:invite',
  'members:manage',
  'owners:manage',
  'apiKeys:manage',
  'auditLog:read',
  'outbox:read',
  'agents:read',
  'agents:manage',
  'agents:test',
  'providerKeys:manage',
  'workflows:read',
  'workflows:manage',
  'runs:start',
  'runs:manage',
  'approvals:decide',
  'plugins:read',
  'plugins:manage',
  'plugins:publish',
  'plugins:review',
  'customTools:manage',
  'integrations:read',
  'integrations:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Whether the caller holds a permission in the active organization. UI hints only: the server decides. */
export type Can = (permission: Permission) => boolean;

export function permissionChecker(granted: readonly string[]): Can {
  const set = new Set(granted);
  return (permission) => set.has(permission);
}
