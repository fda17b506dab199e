import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { ApiKeyAuth } from '@agentflow/plugin-sdk';
import type { Executor } from '../../db/database.ts';
import type { Caller, Deps } from '../../graphql/context.ts';
import { badInput, conflict, isUniqueViolation, notFound } from '../../lib/errors.ts';
import type { Tool } from '../../llm/tools/types.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { parseInput } from '../auth/validation.ts';
import { installedPlugin } from '../plugins/installed-plugins.ts';
import { pluginToolId } from '../plugins/plugin-tools.ts';
import { checkCredentials, type Credential, type CredentialCheck } from './credential-test.ts';
import { integrationDefinition, outboundPolicy, type IntegrationDefinition } from './definition.ts';
import {
  credentialsContext, findIntegration, findIntegrationRow, oauthClientContext, openJson, sealJson, SealedValueError, toIntegration,
  type ApiKeyCredentials, type Integration, type IntegrationStatus,
} from './integration.repository.ts';
import { checkOutboundUrl, OutboundError } from './outbound.ts';
import { resolveIntegrationSecret } from './secrets.ts';

const MAX_SECRET_LENGTH = 4096;

const createSchema = z.object({
  pluginName: z.string().trim().min(1, 'Choose the plugin to integrate').max(64, 'Plugin name is too long'),
  name: z.string().trim().min(1, 'Name is required').max(100, 'Name must be at most 100 characters'),
  apiKey: z.unknown().optional(),
  oauthClientId: z.string().trim().max(500, 'OAuth client id is too long').nullish(),
  oauthClientSecret: z.string().trim().max(1000, 'OAuth client secret is too long').nullish(),
});

/** Where the provider sends the browser back (register it in the OAuth app). */
export const redirectUri = (deps: Pick<Deps, 'config'>) => `${deps.config.publicUrl}/oauth/callback`;

export async function requireIntegration(deps: Pick<Deps, 'db'>, organizationId: string, id: string): Promise<Integration> {
  const found = await findIntegration(deps.db, organizationId, id);
  if (!found) throw notFound('Integration');
  return found;
}

/**
 * Adds the organization's credentials for an installed plugin's service. API key: the fields the
 * manifest lists, each required; when the manifest has a test URL the key is tried at once, and a
 * key the service refuses is not saved. OAuth 2.0: the organization's own OAuth app (client id and
 * secret); the integration stays disconnected until connectIntegration's flow completes.
 */
export async function createIntegration(deps: Deps, caller: Caller, input: unknown): Promise<Integration> {
  const data = parseInput(createSchema, input);
  const orgId = caller.organizationId!;
  const def = await integrationDefinition(deps.db, orgId, data.pluginName);
  const id = randomUUID();
  let sealed: { credentials: string | null; oauth_client: string | null };
  let status: IntegrationStatus = 'disconnected';
  let statusMessage: string | null = null;
  if (def.auth.type === 'apiKey') {
    if (data.oauthClientId || data.oauthClientSecret) throw badInput(`${def.title} uses an API key, not an OAuth app: leave the OAuth client id and secret empty`, { field: 'oauthClientId' });
    const values = apiKeyValues(def.auth, data.apiKey);
    assertManifestUrls(deps, def);
    await assertNameFree(deps, orgId, data.name, def.plugin.name);
    const check = def.auth.testUrl ? await checkCredentials(def.title, def.auth.testUrl, { kind: 'apiKey', auth: def.auth, values }, outboundPolicy(deps.config, def)) : undefined;
    if (check?.refused) throw badInput(`${check.message}; the key was not saved`, { field: 'apiKey' });
    // Unreachable or failing for another reason: saved, with the reason as its status.
    [status, statusMessage] = check && !check.ok && !check.untestable ? ['error', check.message] : ['connected', null];
    sealed = { credentials: sealJson(deps.secrets, values, credentialsContext(orgId, id)), oauth_client: null };
  } else {
    if (data.apiKey !== undefined && data.apiKey !== null) throw badInput(`${def.title} connects with OAuth 2.0, not an API key: give your OAuth app's client id and secret`, { field: 'apiKey' });
    if (!data.oauthClientId) throw badInput(`${def.title} connects with OAuth 2.0: enter your OAuth app's client id`, { field: 'oauthClientId' });
    if (!data.oauthClientSecret) throw badInput(`${def.title} connects with OAuth 2.0: enter your OAuth app's client secret`, { field: 'oauthClientSecret' });
    assertManifestUrls(deps, def);
    sealed = { credentials: null, oauth_client: sealJson(deps.secrets, { clientId: data.oauthClientId, clientSecret: data.oauthClientSecret }, oauthClientContext(orgId, id)) };
  }
  try {
    return await deps.db.transaction().execute(async (trx) => {
      // Names are unique per organization (case-insensitively); no index says so, so concurrent
      // creates in one organization take turns here.
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`integrations:${orgId}`}))`.execute(trx);
      await assertNameFree({ db: trx }, orgId, data.name, def.plugin.name);
      const row = await trx.insertInto('integrations').values({
        id, organization_id: orgId, plugin_name: def.plugin.name, name: data.name, auth_type: def.auth.type,
        status, status_message: statusMessage, ...sealed, created_by: caller.user?.id ?? null,
      }).returningAll().executeTakeFirstOrThrow();
      // Names and types only: the credentials are written nowhere but sealed.
      await writeAudit(trx, caller, { organizationId: orgId, action: 'integration.create', targetType: 'Integration', targetId: id, details: { pluginName: def.plugin.name, name: data.name, authType: def.auth.type, status } });
      return toIntegration(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(pluginTaken(def.plugin.name));
    throw err;
  }
}

const pluginTaken = (plugin: string) => `This organization already has an integration for the plugin "${plugin}": delete it first to replace it`;

async function assertNameFree(deps: { db: Executor }, orgId: string, name: string, pluginName: string): Promise<void> {
  const rows = await deps.db.selectFrom('integrations').select(['name', 'plugin_name']).where('organization_id', '=', orgId)
    .where((eb) => eb.or([eb('plugin_name', '=', pluginName), eb(sql`lower(name)`, '=', name.toLowerCase())])).execute();
  if (rows.some((r) => r.plugin_name === pluginName)) throw conflict(pluginTaken(pluginName));
  if (rows.length) throw conflict(`An integration named "${rows[0]!.name}" already exists in this organization: choose another name`);
}

/** A field is required unless the manifest marks it `optional: true`. */
const isOptional = (field: ApiKeyAuth['fields'][number]) => field.optional === true;

/** The manifest's fields, each a non-empty string (optional ones may be left out); nothing else. */
function apiKeyValues(auth: ApiKeyAuth, raw: unknown): ApiKeyCredentials {
  const names = auth.fields.map((f) => f.name);
  if (raw === undefined || raw === null) throw badInput(`Enter the API key fields: ${auth.fields.filter((f) => !isOptional(f)).map((f) => f.name).join(', ')}`, { field: 'apiKey' });
  if (typeof raw !== 'object' || Array.isArray(raw)) throw badInput(`apiKey must be an object with the fields ${names.join(', ')}`, { field: 'apiKey' });
  const given = raw as Record<string, unknown>;
  const unknown = Object.keys(given).filter((k) => !names.includes(k));
  if (unknown.length) throw badInput(`Unknown API key field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: the plugin expects ${names.join(', ')}`, { field: `apiKey.${unknown[0]}` });
  const values: ApiKeyCredentials = {};
  for (const field of auth.fields) {
    const value = given[field.name];
    if (isOptional(field) && (value === undefined || value === null || value === '')) continue;
    if (typeof value !== 'string' || !value.trim()) throw badInput(`${field.label || field.name} is required`, { field: `apiKey.${field.name}` });
    if (value.length > MAX_SECRET_LENGTH) throw badInput(`${field.label || field.name} is too long (at most ${MAX_SECRET_LENGTH} characters)`, { field: `apiKey.${field.name}` });
    values[field.name] = value.trim();
  }
  return values;
}

/**
 * A manifest's URLs, checked when the integration is created so a bad plugin shows early, before
 * any credential is sent or stored. The token and test URLs receive credentials: their hosts must
 * be within the plugin's network permissions.
 */
function assertManifestUrls(deps: Pick<Deps, 'config'>, def: IntegrationDefinition): void {
  const withCredentials = outboundPolicy(deps.config, def);
  try {
    if (def.auth.type === 'oauth2') {
      checkOutboundUrl(def.auth.authorizeUrl, outboundPolicy(deps.config), `${def.title}'s authorize URL`);
      checkOutboundUrl(def.auth.tokenUrl, withCredentials, `${def.title}'s token URL`);
    }
    if (def.auth.testUrl) checkOutboundUrl(def.auth.testUrl, withCredentials, `${def.title}'s test URL`);
  } catch (err) {
    if (err instanceof OutboundError) throw badInput(`The plugin "${def.plugin.name}" cannot be used: ${err.message}`);
    throw err;
  }
}

export interface IntegrationTestResult { ok: boolean; message: string; integration: Integration }

/** Tries the credentials against the manifest's test URL and records the outcome as the status. */
export async function testIntegration(deps: Deps, caller: Caller, id: string): Promise<IntegrationTestResult> {
  const orgId = caller.organizationId!;
  const integration = await requireIntegration(deps, orgId, id);
  const def = await integrationDefinition(deps.db, orgId, integration.pluginName);
  const check = await runCheck(deps, integration, def);
  return deps.db.transaction().execute(async (trx) => {
    let row = await findIntegrationRow(trx, orgId, id, true);
    if (!row) throw notFound('Integration');
    if (check.status) {
      row = await trx.updateTable('integrations').set({ status: check.status, status_message: check.status === 'connected' ? null : check.message, updated_at: new Date() })
        .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    }
    await writeAudit(trx, caller, { organizationId: orgId, action: 'integration.test', targetType: 'Integration', targetId: id, details: { ok: check.ok } });
    return { ok: check.ok, message: check.message, integration: toIntegration(row) };
  });
}

/** `status`: what the check says the status should become (none when it could not judge). */
async function runCheck(deps: Deps, integration: Integration, def: IntegrationDefinition): Promise<{ ok: boolean; message: string; status?: IntegrationStatus }> {
  if (def.auth.type !== integration.authType) {
    return { ok: false, status: 'error', message: `The plugin's current version connects with ${def.auth.type === 'oauth2' ? 'OAuth 2.0' : 'an API key'}: delete this integration and add it again` };
  }
  const testUrl = def.auth.testUrl;
  if (!testUrl) return { ok: false, message: `${def.title} declares no test URL: the credentials are checked when a tool first uses them` };
  let credential: Credential;
  if (def.auth.type === 'oauth2') {
    if (integration.status === 'disconnected') return { ok: false, message: `${def.title} is not connected yet: connect it first` };
    try {
      // Refreshes an expiring token first (and records a refresh failure as the status).
      credential = { kind: 'bearer', token: await resolveIntegrationSecret(deps, integration.organizationId, integration.pluginName, 'accessToken') };
    } catch (err) {
      return { ok: false, message: (err as Error).message };
    }
  } else {
    const row = (await findIntegrationRow(deps.db, integration.organizationId, integration.id))!;
    if (!row.credentials) return { ok: false, message: `"${integration.name}" has no key stored (it was disconnected): delete it and add it again` };
    try {
      credential = { kind: 'apiKey', auth: def.auth, values: openJson<ApiKeyCredentials>(deps.secrets, row.credentials, credentialsContext(row.organization_id, row.id), 'API key') };
    } catch (err) {
      if (err instanceof SealedValueError) return { ok: false, status: 'error', message: err.message };
      throw err;
    }
  }
  const check: CredentialCheck = await checkCredentials(def.title, testUrl, credential, outboundPolicy(deps.config, def));
  // A test that could not be made (the manifest gives no way to send the key) judges nothing.
  return { ...check, ...(check.untestable ? {} : { status: check.ok ? 'connected' as const : 'error' as const }) };
}

/** Forgets the tokens or key (the OAuth app stays, so it can be connected again). */
export async function disconnectIntegration(deps: Deps, caller: Caller, id: string): Promise<Integration> {
  const orgId = caller.organizationId!;
  return deps.db.transaction().execute(async (trx) => {
    const row = await findIntegrationRow(trx, orgId, id, true);
    if (!row) throw notFound('Integration');
    const updated = await trx.updateTable('integrations').set({ credentials: null, token_expires_at: null, status: 'disconnected', status_message: null, updated_at: new Date() })
      .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await trx.deleteFrom('oauth_states').where('integration_id', '=', id).execute();
    await writeAudit(trx, caller, { organizationId: orgId, action: 'integration.disconnect', targetType: 'Integration', targetId: id, details: { pluginName: row.plugin_name, name: row.name } });
    return toIntegration(updated);
  });
}

export async function deleteIntegration(deps: Deps, caller: Caller, id: string): Promise<string> {
  const orgId = caller.organizationId!;
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.deleteFrom('integrations').where('organization_id', '=', orgId).where('id', '=', id).returning(['id', 'plugin_name', 'name']).executeTakeFirst();
    if (!row) throw notFound('Integration');
    await writeAudit(trx, caller, { organizationId: orgId, action: 'integration.delete', targetType: 'Integration', targetId: id, details: { pluginName: row.plugin_name, name: row.name } });
    return row.id;
  });
}

/** The installed plugin's tools, as agents and workflow tool nodes name them. */
export async function integrationActions(deps: Pick<Deps, 'db'>, organizationId: string, id: string): Promise<Omit<Tool, 'run'>[]> {
  const integration = await requireIntegration(deps, organizationId, id);
  // Uninstalled since: no actions (the integration itself is kept until deleted).
  const plugin = await installedPlugin(deps.db, organizationId, integration.pluginName);
  return (plugin?.manifest.tools ?? []).map((tool) => ({
    name: pluginToolId(plugin!.name, tool.name),
    plugin: plugin!.name,
    ...(tool.title ? { title: tool.title } : {}),
    description: tool.description,
    inputSchema: tool.inputSchema,
    ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
  }));
}
