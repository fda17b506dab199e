import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import semver from 'semver';
import schema from './manifest.schema.json' with { type: 'json' };
import { PLUGIN_API_VERSION, type IntegrationManifest, type JsonSchema, type PluginManifest } from './types.ts';

/**
 * The one JSON Schema (draft 2020-12) of a plugin manifest, shared by the SDK, the CLI and the
 * server. Rules a schema cannot express are checked by {@link validateManifest} on top of it.
 *
 * @example
 * import { Ajv2020 } from 'ajv/dist/2020.js';
 * const isManifestShaped = new Ajv2020().compile(manifestSchema);
 */
export const manifestSchema: JsonSchema = schema;

export type ManifestValidation = { ok: true; manifest: PluginManifest } | { ok: false; errors: string[] };

const ajv = new Ajv2020({ allErrors: true, verbose: true });
const validateShape = ajv.compile<PluginManifest>(schema);
// Tool schemas are the author's: checked against the meta-schema only, never added to an
// instance (two tools with the same `$id` would clash).
const toolSchemaChecker = new Ajv2020({ strict: false });

/**
 * Checks a manifest against {@link manifestSchema} and the rules beyond it: a strict semver
 * `version`, an `engines.agentflow` range that this plugin API satisfies, unique tool names,
 * tool schemas that are valid JSON Schema, every secret the integration yields declared in
 * `permissions.secrets`, and the hosts of the integration's token and test URLs (which the server
 * calls with the organization's credentials) within `permissions.network`. Returns every problem
 * at once, each prefixed with its path.
 *
 * @example
 * const result = validateManifest(JSON.parse(text));
 * if (!result.ok) throw new Error(`Invalid manifest:\n${result.errors.join('\n')}`);
 * // e.g. "tools[0].name: must be 1 to 48 lowercase letters, digits or single underscores, ... (got \"Add\")"
 */
export function validateManifest(value: unknown): ManifestValidation {
  const errors = validateShape(value) ? [] : (validateShape.errors ?? []).filter((e) => e.keyword !== 'if').map(explain);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    // The semantic checks only add what the schema did not already say about the same field.
    const reported = new Set(errors.map((e) => e.slice(0, e.indexOf(':'))));
    for (const error of semanticErrors(value as Partial<PluginManifest>)) {
      if (!reported.has(error.slice(0, error.indexOf(':')))) errors.push(error);
    }
  }
  const unique = [...new Set(errors)];
  return unique.length ? { ok: false, errors: unique } : { ok: true, manifest: value as PluginManifest };
}

function semanticErrors(m: Partial<PluginManifest>): string[] {
  const errors: string[] = [];
  if (typeof m.version === 'string' && semver.valid(m.version) !== m.version) {
    errors.push(`version: must be a strict semver version such as 1.2.3 (got ${JSON.stringify(m.version)})`);
  }
  const range = m.engines?.agentflow;
  if (typeof range === 'string' && range.trim()) {
    if (!semver.validRange(range)) {
      errors.push(`engines.agentflow: must be a semver range such as ^1.0.0 (got ${JSON.stringify(range)})`);
    } else if (!semver.satisfies(PLUGIN_API_VERSION, range)) {
      errors.push(`engines.agentflow: needs AgentFlow plugin API ${range}, this is ${PLUGIN_API_VERSION}`);
    }
  }
  if (Array.isArray(m.tools)) {
    const seen = new Set<string>();
    m.tools.forEach((tool, i) => {
      if (!tool || typeof tool !== 'object') return;
      if (typeof tool.name === 'string') {
        if (seen.has(tool.name)) errors.push(`tools[${i}].name: "${tool.name}" is used by another tool of this plugin`);
        seen.add(tool.name);
      }
      for (const key of ['inputSchema', 'outputSchema'] as const) {
        const toolSchema = tool[key];
        if (toolSchema && typeof toolSchema === 'object' && !toolSchemaChecker.validateSchema(toolSchema)) {
          const detail = (toolSchemaChecker.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
          errors.push(`tools[${i}].${key}: is not a valid JSON Schema (${detail})`);
        }
      }
    });
  }
  const declared = Array.isArray(m.permissions?.secrets) ? m.permissions.secrets : [];
  if (m.integration && typeof m.integration === 'object') {
    for (const secret of integrationSecrets(m.integration)) {
      if (!declared.includes(secret)) {
        errors.push(`permissions.secrets: must declare "${secret}", the secret the integration yields (so installers consent to it)`);
      }
    }
    errors.push(...integrationHostErrors(m.integration, Array.isArray(m.permissions?.network) ? m.permissions.network : []));
  }
  return errors;
}

/**
 * The URLs the server itself calls with an organization's credentials, and what it sends there.
 * Their hosts must be within `permissions.network`, so an installer's consent to the hosts covers
 * where the credentials go, as it does for the plugin's own `ctx.fetch`. The authorize URL is not
 * one of them: it is only where the admin's browser is sent to sign in (no secret goes with it),
 * and listing its host would let the plugin's code reach a host it has no use for; a change to it
 * still needs consent (see {@link permissionsGrew}).
 */
const SERVER_CALLED_URLS = [
  ['tokenUrl', 'the server sends the OAuth client secret and refresh tokens to this URL'],
  ['testUrl', 'the server sends the credentials to this URL to test them'],
] as const;

const NETWORK_ENTRY = new RegExp(String((schema.properties.permissions.properties.network.items as { pattern: string }).pattern));

function integrationHostErrors(integration: Partial<IntegrationManifest>, network: readonly unknown[]): string[] {
  const auth = integration.auth as Record<string, unknown> | undefined;
  if (!auth || typeof auth !== 'object') return [];
  const patterns = network.filter((p): p is string => typeof p === 'string');
  const errors: string[] = [];
  for (const [field, why] of SERVER_CALLED_URLS) {
    const raw = auth[field];
    if (typeof raw !== 'string') continue;
    const at = `integration.auth.${field}`;
    // The host must be known before any credential is filled in: `{{secret:…}}` only in the path or query.
    const authority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(raw)?.[1] ?? '';
    if (authority.includes('{{')) {
      errors.push(`${at}: must not put a {{secret:…}} placeholder in its host (${why}, so its host must be one permissions.network lists)`);
      continue;
    }
    let host: string;
    try {
      host = new URL(raw).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    } catch {
      errors.push(`${at}: is not a valid URL${got(raw)}`);
      continue;
    }
    if (hostAllowed(host, patterns)) continue;
    const fix = NETWORK_ENTRY.test(host) ? `add "${host}" (or a wildcard covering it) to permissions.network` : 'only "*" in permissions.network covers an address or a single-label host';
    errors.push(`${at}: its host ${host} is not in permissions.network; ${fix} (${why}, so installers must consent to its host)`);
  }
  return errors;
}

/**
 * The secrets an integration yields once connected: `accessToken` for OAuth 2.0, each field's
 * `name` for API keys. These are the names `ctx.secret` accepts.
 *
 * @example
 * integrationSecrets({ title: 'GitHub', auth: { type: 'apiKey', fields: [{ name: 'token', label: 'Token' }] } });
 * // ['token']
 */
export function integrationSecrets(integration: IntegrationManifest): string[] {
  const auth = integration.auth as Partial<IntegrationManifest['auth']> | undefined;
  if (auth?.type === 'oauth2') return ['accessToken'];
  if (auth?.type === 'apiKey' && Array.isArray(auth.fields)) return auth.fields.map((f) => f?.name).filter((n): n is string => typeof n === 'string');
  return [];
}

/**
 * Whether a hostname is reachable under a list of `permissions.network` entries. `*.example.com`
 * covers every subdomain of example.com, not example.com itself; `*` covers every host (for
 * generic connectors; the server's address checks still apply).
 *
 * @example
 * hostAllowed('api.github.com', ['*.github.com']); // true
 * hostAllowed('github.com', ['*.github.com']);     // false
 */
export function hostAllowed(hostname: string, patterns: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return patterns.some((pattern) => covers(pattern, host));
}

// Whether the hosts `candidate` stands for (itself, or all subdomains when it is a wildcard)
// are all within `pattern`.
function covers(pattern: string, candidate: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.startsWith('*.')) return pattern === candidate;
  const domain = pattern.slice(2);
  if (candidate.startsWith('*.')) {
    const inner = candidate.slice(2);
    return inner === domain || inner.endsWith(`.${domain}`);
  }
  return candidate.endsWith(`.${domain}`);
}

/**
 * What a new version may do that the old one could not, worded for the admin asked to consent:
 * network hosts the old hosts do not cover, secrets the old version did not ask for, and any
 * change to how the organization's credentials are used by the integration: its auth type,
 * authorize, token and test URLs (the server sends client secrets, tokens and keys to the last
 * two), OAuth scopes added, how scopes are joined, extra authorize parameters added, changed or
 * removed (they can ask for scopes too, e.g. Slack's `user_scope`), and API key fields added.
 * What only narrows (hosts, secrets, scopes or fields dropped, the test URL or the whole
 * integration removed) asks for nothing. The marketplace keeps an installation on its pinned
 * version until an admin consents when this is not empty.
 *
 * @example
 * permissionsGrew(v1, v2);
 * // ['network host api.slack.com', 'secret accessToken', 'OAuth scope channels:read',
 * //  'integration token URL https://slack.com/api/oauth.v2.access (was https://slack.com/api/oauth.access)']
 */
export function permissionsGrew(oldManifest: PluginManifest, newManifest: PluginManifest): string[] {
  const grew: string[] = [];
  for (const host of newManifest.permissions.network) {
    if (!oldManifest.permissions.network.some((pattern) => covers(pattern, host))) grew.push(host === '*' ? 'network host * (any host)' : `network host ${host}`);
  }
  for (const secret of newManifest.permissions.secrets) {
    if (!oldManifest.permissions.secrets.includes(secret)) grew.push(`secret ${secret}`);
  }
  grew.push(...integrationGrew(oldManifest.integration, newManifest.integration));
  return grew;
}

const AUTH_WORDS = { oauth2: 'OAuth 2.0', apiKey: 'an API key' } as const;
const URL_FIELDS = [['authorizeUrl', 'authorize URL'], ['tokenUrl', 'token URL'], ['testUrl', 'test URL']] as const;
const quoted = (value: string) => JSON.stringify(value);
const was = (value: string | undefined) => (value === undefined ? '' : ` (was ${value})`);

function integrationGrew(before: IntegrationManifest | undefined, after: IntegrationManifest | undefined): string[] {
  const next = after?.auth;
  if (!next) return [];
  const prev = before?.auth;
  const grew: string[] = [];
  if (next.type !== prev?.type) grew.push(`integration ${after.title} using ${AUTH_WORDS[next.type]}${prev ? ` (was ${AUTH_WORDS[prev.type]})` : ''}`);
  for (const [field, label] of URL_FIELDS) {
    const url = (next as Partial<Record<typeof field, string>>)[field];
    const old = (prev as Partial<Record<typeof field, string>> | undefined)?.[field];
    if (url !== undefined && url !== old) grew.push(`integration ${label} ${url}${was(old)}`);
  }
  if (next.type === 'oauth2') {
    const old = prev?.type === 'oauth2' ? prev : undefined;
    // Scopes travel as one parameter: a new separator changes which scopes the provider reads.
    const separator = next.scopeSeparator ?? ' ';
    const oldSeparator = old ? old.scopeSeparator ?? ' ' : undefined;
    if (separator !== (oldSeparator ?? ' ')) grew.push(`integration scopes joined by ${quoted(separator)}${was(oldSeparator && quoted(oldSeparator))}`);
    const params = next.authorizeParams ?? {};
    const oldParams = old?.authorizeParams ?? {};
    for (const [key, value] of Object.entries(params)) {
      const previous = Object.hasOwn(oldParams, key) ? oldParams[key] : undefined;
      if (value !== previous) grew.push(`integration authorize parameter ${key}=${quoted(value)}${was(previous === undefined ? undefined : quoted(previous))}`);
    }
    for (const [key, value] of Object.entries(oldParams)) {
      if (!Object.hasOwn(params, key)) grew.push(`integration authorize parameter ${key} removed (was ${quoted(value)})`);
    }
    const oldScopes = new Set(old?.scopes ?? []);
    for (const scope of next.scopes) if (!oldScopes.has(scope)) grew.push(`OAuth scope ${scope}`);
  } else {
    const oldFields = new Set(prev?.type === 'apiKey' ? prev.fields.map((f) => f.name) : []);
    for (const field of next.fields) if (!oldFields.has(field.name)) grew.push(`integration API key field ${field.name}`);
  }
  return grew;
}

/** Turns an ajv error into `<path>: <what is wrong>`, in words an author can act on. */
function explain(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const described = typeof error.parentSchema?.description === 'string' ? error.parentSchema.description : undefined;
  let path = error.instancePath;
  let message: string;
  switch (error.keyword) {
    case 'required':
      path += `/${String(params.missingProperty)}`;
      message = 'is required';
      break;
    case 'additionalProperties':
      path += `/${String(params.additionalProperty)}`;
      message = 'is not a known field';
      break;
    case 'false schema':
      message = 'is not allowed';
      break;
    case 'pattern':
    case 'const':
      message = described ? `must be ${described}${got(error.data)}` : `${error.message}${got(error.data)}`;
      break;
    case 'enum':
      message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${got(error.data)}`;
      break;
    default:
      message = error.message ?? 'is invalid';
  }
  const rule = branchDescription(error.schemaPath);
  return `${displayPath(path)}: ${message}${rule ? ` (${rule})` : ''}`;
}

function got(data: unknown): string {
  const text = JSON.stringify(data);
  return text !== undefined && text.length <= 80 ? ` (got ${text})` : '';
}

/** The description of the `then` branch an error came from: the rule behind it. */
function branchDescription(schemaPath: string): string | undefined {
  let node: unknown = schema;
  let description: string | undefined;
  for (const segment of schemaPath.replace(/^#\/?/, '').split('/')) {
    if (!node || typeof node !== 'object') break;
    node = (node as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (segment === 'then' && node && typeof node === 'object' && 'description' in node) description = String(node.description);
  }
  return description;
}

/** `/tools/0/name` -> `tools[0].name`; the root is `manifest`. */
function displayPath(pointer: string): string {
  const segments = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = '';
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out || 'manifest';
}
