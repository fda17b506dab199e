import { forbidden } from '../lib/errors.ts';
import type { Access } from '../modules/auth/permissions.ts';
import type { Context } from './context.ts';

/**
 * Field options that enforce an access rule (through scope-auth) and record it in the field's
 * extensions, so tests can walk the schema and check every mutation against the permission table.
 * `peopleOnly`: the permission must be held by a signed-in person, not by an API key (so a
 * leaked key cannot mint further keys that outlive its revocation).
 */
export function access<A extends Access>(rule: A, opts: { peopleOnly?: boolean } = {}) {
  const base = rule === 'public' ? { public: true as const }
    : rule === 'user' ? { user: true as const }
    : { permission: rule as Exclude<A, 'public' | 'user'> };
  const authScopes = opts.peopleOnly ? { $all: { ...base, user: true as const } } : base;
  return { authScopes, extensions: { access: rule, peopleOnly: opts.peopleOnly === true } };
}

/** Organization fields beyond its name are readable only while it is the active organization. */
export function requireActiveOrganization(ctx: Context, organizationId: string, what: string): void {
  if (ctx.caller.organizationId !== organizationId) throw forbidden(`Switch to this organization to see its ${what}`);
}
