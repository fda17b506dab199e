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
 * tool schemas that are valid JSON Schema, and every secret the integration yields declared in
 * `permissions.secrets`. Returns every problem at once, each prefixed with its path.
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
 * What a new version may do that the old one could not: network hosts the old hosts do not
 * cover, secrets and OAuth scopes the old version did not ask for. The marketplace keeps an
 * installation on its pinned version until an admin consents when this is not empty.
 *
 * @example
 * permissionsGrew(v1, v2);
 * // ['network host api.slack.com', 'secret accessToken', 'OAuth scope channels:read']
 */
export function permissionsGrew(oldManifest: PluginManifest, newManifest: PluginManifest): string[] {
  const grew: string[] = [];
  for (const host of newManifest.permissions.network) {
    if (!oldManifest.permissions.network.some((pattern) => covers(pattern, host))) grew.push(host === '*' ? 'network host * (any host)' : `network host ${host}`);
  }
  for (const secret of newManifest.permissions.secrets) {
    if (!oldManifest.permissions.secrets.includes(secret)) grew.push(`secret ${secret}`);
  }
  const oldScopes = new Set(oauthScopes(oldManifest));
  for (const scope of oauthScopes(newManifest)) {
    if (!oldScopes.has(scope)) grew.push(`OAuth scope ${scope}`);
  }
  return grew;
}

const oauthScopes = (m: PluginManifest) => (m.integration?.auth.type === 'oauth2' ? m.integration.auth.scopes : []);

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
