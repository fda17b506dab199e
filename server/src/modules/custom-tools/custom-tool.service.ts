import { PLUGIN_API_VERSION, type Json, type PluginManifest } from '@agentflow/plugin-sdk';
import { validateManifest } from '@agentflow/plugin-sdk/manifest';
import { digestOf } from '@agentflow/plugin-sdk/verify';
import type { LogEntry, SandboxErrorCode } from '@agentflow/plugin-sdk/host';
import { z } from 'zod';
import type { Caller, Deps } from '../../graphql/context.ts';
import { badInput } from '../../lib/errors.ts';
import { sql } from 'kysely';
import { writeAudit } from '../audit/audit.service.ts';
import { parseInput } from '../auth/validation.ts';
import { pinInstallation } from '../marketplace/installation.service.ts';
import { publishVersion } from '../marketplace/publish.service.ts';
import { runInSandbox, toolDepsOf } from '../plugins/plugin-tools.ts';
import { scriptBundle, scriptCodeKey } from '../plugins/script-bundle.ts';

/** Custom tool code is small by nature; larger code belongs in a packed plugin. */
const MAX_CODE_CHARS = 100_000;

const toolInput = z.object({
  name: z.string().trim().regex(/^[a-z][a-z0-9_]{0,47}$/, 'Name: lowercase letters, digits and _ (start with a letter, at most 48)')
    .refine((n) => !n.includes('__'), 'Name may not contain two underscores in a row'),
  description: z.string().trim().min(1, 'Description is required: the model reads it to decide when to call the tool').max(1000, 'Description must be at most 1000 characters'),
  inputSchema: z.record(z.string(), z.unknown(), 'The input schema must be a JSON Schema object'),
  code: z.string().min(1, 'Code is required').max(MAX_CODE_CHARS, `Code must be at most ${MAX_CODE_CHARS} characters`),
  network: z.array(z.string().trim().toLowerCase()).max(20, 'At most 20 hosts').default([]),
});
export type CustomToolInput = z.input<typeof toolInput>;

/** `lookup_order` -> listing `custom-lookup-order`, tool id `custom-lookup-order.lookup_order`. */
export const customListingName = (toolName: string): string => `custom-${toolName.replaceAll('_', '-')}`;

interface Prepared { manifest: PluginManifest; bundle: string }

/** One private plugin with one tool, checked by the same manifest schema as any published plugin. */
function prepare(raw: Record<string, unknown>, version: string): Prepared {
  const input = parseInput(toolInput, raw);
  if (input.inputSchema.type !== 'object') throw badInput('The input schema must describe an object ("type": "object")', { field: 'inputSchema' });
  const manifest: PluginManifest = {
    name: customListingName(input.name), version, kind: 'plugin', title: input.name, description: input.description,
    engines: { agentflow: `^${PLUGIN_API_VERSION}` },
    permissions: { network: [...new Set(input.network)], secrets: [] },
    tools: [{ name: input.name, description: input.description, inputSchema: input.inputSchema }],
  };
  const checked = validateManifest(manifest);
  if (!checked.ok) throw badInput(`Invalid custom tool: ${checked.errors.join('; ')}`, { errors: checked.errors });
  return { manifest, bundle: scriptBundle(input.name, input.code) };
}

export interface ToolTestResult {
  ok: boolean; output: Json | null; error: string | null; errorCode: SandboxErrorCode | null; logs: LogEntry[]; durationMs: number;
}

/** Runs the draft against sample input in the sandbox, exactly as a saved tool would run. */
export async function testCustomTool(deps: Deps, caller: Caller, raw: Record<string, unknown>): Promise<ToolTestResult> {
  const { input: sample, ...tool } = raw;
  const { manifest, bundle } = prepare(tool, '0.0.0');
  const spec = manifest.tools[0]!;
  const result = await runInSandbox(toolDepsOf(deps), {
    organizationId: caller.organizationId!, pluginName: manifest.name, manifest,
    codeKey: scriptCodeKey(bundle), bundle, tool: spec.name, input: (sample ?? {}) as Json, inputSchema: spec.inputSchema,
  });
  // Running code is worth a line in the audit log, whatever its outcome.
  await writeAudit(deps.db, caller, { organizationId: caller.organizationId!, action: 'customTool.test', targetType: 'PluginListing', details: { name: manifest.name, ok: result.ok, ...(result.ok ? {} : { errorCode: result.code }) } });
  return result.ok
    ? { ok: true, output: result.output, error: null, errorCode: null, logs: result.logs, durationMs: result.durationMs }
    : { ok: false, output: null, error: result.error, errorCode: result.code, logs: result.logs, durationMs: result.durationMs };
}

const nextPatch = (version: string | null): string => {
  if (!version) return '1.0.0';
  const [major, minor, patch] = version.split('.').map(Number);
  return `${major}.${minor}.${patch! + 1}`;
};

/**
 * Saves the tool as the organization's private plugin: the first save creates the listing,
 * each later save publishes the next patch version (through the marketplace's own publish path,
 * with its name lock and checks), and the organization's installation moves to it at once: it
 * wrote the code. Returns the listing id.
 */
export async function saveCustomTool(deps: Deps, caller: Caller, raw: Record<string, unknown>): Promise<string> {
  const orgId = caller.organizationId!;
  prepare(raw, '1.0.0'); // fail fast, before any lock is taken
  return deps.db.transaction().execute(async (trx) => {
    const name = customListingName(String(raw.name).trim());
    // Serialises saves of the same tool, so two saves cannot pick the same version.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`custom-tool:${orgId}:${name}`}))`.execute(trx);
    const existing = await trx.selectFrom('plugin_listings').select('latest_version')
      .where('visibility', '=', 'private').where('publisher_organization_id', '=', orgId).where('name', '=', name).executeTakeFirst();
    const { manifest, bundle } = prepare(raw, nextPatch(existing?.latest_version ?? null));
    manifest.changelog = existing ? 'Saved in the custom tool builder' : 'Created in the custom tool builder';
    const sizeBytes = Buffer.byteLength(JSON.stringify(manifest)) + Buffer.byteLength(bundle);
    const doc = { format: 'agentflow-plugin@1' as const, manifest, bundle, sha256: digestOf(manifest, bundle), signature: null, sizeBytes };
    const { listing, version } = await publishVersion(trx, caller, doc, { visibility: 'private', publisherOrganizationId: orgId, priceCents: 0 });
    await pinInstallation(trx, caller, listing, version);
    return listing.id;
  });
}
