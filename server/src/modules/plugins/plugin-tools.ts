import type { Json, PluginManifest, ToolManifest } from '@agentflow/plugin-sdk';
import { createSecretTag, type SandboxResult, type SandboxRunner } from '@agentflow/plugin-sdk/host';
import type { Config } from '../../config/env.ts';
import type { Executor } from '../../db/database.ts';
import type { Deps } from '../../graphql/context.ts';
import { AppError, ErrorCode } from '../../lib/errors.ts';
import type { Tool } from '../../llm/tools/types.ts';
import { createFetchBridge } from '../../sandbox/fetch-bridge.ts';
import { resolveIntegrationSecret } from '../integrations/secrets.ts';
import { installedPlugins, pluginBundle, type InstalledPlugin } from './installed-plugins.ts';

/** What running a plugin tool needs from the host. */
export interface PluginToolDeps {
  db: Executor;
  sandbox: SandboxRunner;
  config: Pick<Config, 'plugins'>;
  /** The value of a secret the plugin declared, from the organization's integration for it. */
  resolveSecret(organizationId: string, pluginName: string, secretName: string): Promise<string>;
}

export function toolDepsOf(deps: Deps): PluginToolDeps {
  return {
    db: deps.db, sandbox: deps.sandbox, config: deps.config,
    resolveSecret: (organizationId, pluginName, secretName) => resolveIntegrationSecret(deps, organizationId, pluginName, secretName),
  };
}

export const pluginToolId = (plugin: string, tool: string): string => `${plugin}.${tool}`;

/**
 * The first-party `core` plugin is the built-in tool set: every organization has it, at the
 * catalog's latest version, without installing it, and its tools keep their bare names
 * (`calculator`, `current_time`).
 */
export const CORE_PLUGIN = 'core';

type RunnablePlugin = Pick<InstalledPlugin, 'name' | 'versionId' | 'version' | 'manifest' | 'sha256'>;

async function corePlugin(db: Executor): Promise<RunnablePlugin | undefined> {
  const row = await db.selectFrom('plugin_listings as l')
    .innerJoin('plugin_versions as v', (join) => join.onRef('v.listing_id', '=', 'l.id').onRef('v.version', '=', 'l.latest_version'))
    .select(['l.name', 'v.id as versionId', 'v.version', 'v.manifest', 'v.sha256'])
    .where('l.name', '=', CORE_PLUGIN).where('l.visibility', '=', 'public').where('l.publisher_organization_id', 'is', null)
    .executeTakeFirst();
  return row && { ...row, manifest: row.manifest as PluginManifest };
}

/** Each runnable plugin of the organization with the id its tools go by. */
async function pluginsOf(db: Executor, organizationId: string): Promise<{ plugin: RunnablePlugin; idOf: (tool: string) => string }[]> {
  const [core, installed] = await Promise.all([corePlugin(db), installedPlugins(db, organizationId)]);
  return [
    ...(core ? [{ plugin: core, idOf: (tool: string) => tool }] : []),
    ...installed.filter((p) => p.name !== CORE_PLUGIN).map((plugin) => ({ plugin, idOf: (tool: string) => pluginToolId(plugin.name, tool) })),
  ];
}

/** The tool ids an organization may enable: the built-in (core) tools plus its installed plugins' tools. */
export async function availableToolIds(db: Executor, organizationId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const { plugin, idOf } of await pluginsOf(db, organizationId)) for (const tool of plugin.manifest.tools ?? []) ids.add(idOf(tool.name));
  return ids;
}

/** Refuses tool ids the organization does not have, naming the first unknown one. */
export async function assertToolsAvailable(db: Executor, organizationId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const available = await availableToolIds(db, organizationId);
  const unknown = ids.find((id) => !available.has(id));
  if (unknown) throw new AppError(ErrorCode.BAD_USER_INPUT, `Unknown tool: ${unknown} (install its plugin first)`, { details: { field: 'tools' } });
}

/** Every tool of the organization by id, ready to run in the sandbox. */
export async function organizationTools(deps: PluginToolDeps, organizationId: string): Promise<Map<string, Tool>> {
  const tools = new Map<string, Tool>();
  for (const { plugin, idOf } of await pluginsOf(deps.db, organizationId)) {
    for (const tool of plugin.manifest.tools ?? []) tools.set(idOf(tool.name), pluginTool(deps, organizationId, plugin, tool, idOf(tool.name)));
  }
  return tools;
}

/** Bundles by version id: versions are immutable, so a bundle read once is good forever. */
const bundles = new Map<string, Promise<string>>();
const MAX_CACHED_BUNDLES = 200;

function bundleOf(db: Executor, versionId: string): Promise<string> {
  let bundle = bundles.get(versionId);
  if (!bundle) {
    if (bundles.size >= MAX_CACHED_BUNDLES) bundles.delete(bundles.keys().next().value!);
    bundle = pluginBundle(db, versionId);
    bundle.catch(() => bundles.delete(versionId));
    bundles.set(versionId, bundle);
  }
  return bundle;
}

function pluginTool(deps: PluginToolDeps, organizationId: string, plugin: RunnablePlugin, tool: ToolManifest, id: string): Tool {
  return {
    name: id,
    // The core plugin's tools are the built-ins: no plugin to show for them.
    ...(plugin.name === CORE_PLUGIN ? {} : { plugin: plugin.name }),
    ...(tool.title ? { title: tool.title } : {}),
    description: tool.description,
    inputSchema: tool.inputSchema,
    ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
    async run(input) {
      const result = await runInSandbox(deps, {
        organizationId, pluginName: plugin.name, manifest: plugin.manifest,
        codeKey: `${plugin.name}@${plugin.version}:${plugin.sha256}`, bundle: await bundleOf(deps.db, plugin.versionId),
        tool: tool.name, input: input as Json, inputSchema: tool.inputSchema, outputSchema: tool.outputSchema,
      });
      // The sandbox's messages name the tool and say what happened; the model reads them as is.
      if (!result.ok) throw new AppError(ErrorCode.BAD_USER_INPUT, result.error, { details: { code: result.code } });
      return result.output;
    },
  };
}

export interface SandboxedCode {
  organizationId: string;
  pluginName: string;
  manifest: Pick<PluginManifest, 'permissions'>;
  codeKey: string;
  bundle: string;
  tool: string;
  input: Json;
  inputSchema?: Record<string, unknown> | undefined;
  outputSchema?: Record<string, unknown> | undefined;
  limits?: { wallMs?: number };
}

/**
 * One call into the sandbox with the plugin's own doors out: its hosts and its secrets only. The
 * call and its bridge share a fresh secret tag, so only placeholders the plugin's own
 * `ctx.secret` made in this call are filled in, never ones written into its input.
 */
export function runInSandbox(deps: PluginToolDeps, code: SandboxedCode): Promise<SandboxResult> {
  const { network, secrets } = code.manifest.permissions;
  const secretTag = createSecretTag();
  const fetch = createFetchBridge({
    secretTag,
    allowedHosts: network,
    declaredSecrets: secrets,
    resolveSecret: (name) => deps.resolveSecret(code.organizationId, code.pluginName, name),
    allowPrivateAddresses: deps.config.plugins.allowPrivateNetwork,
    allowHttp: deps.config.plugins.allowPrivateNetwork,
  });
  return deps.sandbox.call({
    codeKey: code.codeKey, bundle: code.bundle, tool: code.tool, input: code.input, secretTag,
    ...(code.inputSchema ? { inputSchema: code.inputSchema } : {}),
    ...(code.outputSchema ? { outputSchema: code.outputSchema } : {}),
    ...(code.limits ? { limits: code.limits } : {}),
  }, { fetch });
}
