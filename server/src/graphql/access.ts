import type { Access } from '../modules/auth/permissions.ts';

/**
 * Field options that enforce an access rule (through scope-auth) and record it in the field's
 * extensions, so tests can walk the schema and check every mutation against the permission table.
 */
export function access<A extends Access>(rule: A) {
  const authScopes = rule === 'public' ? { public: true as const }
    : rule === 'user' ? { user: true as const }
    : { permission: rule as Exclude<A, 'public' | 'user'> };
  return { authScopes, extensions: { access: rule } };
}
