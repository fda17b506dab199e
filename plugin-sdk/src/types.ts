/**
 * The contract between a plugin and the AgentFlow host. Everything here crosses the sandbox
 * boundary as JSON: a plugin never receives a host object, only plain data and the functions
 * of {@link ToolContext}, which the sandbox implements as bridges.
 */

/** A JSON Schema document (draft 2020-12 subset that ajv understands). */
export type JsonSchema = Record<string, unknown>;

/** A value that survives `JSON.stringify` / `JSON.parse` unchanged. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * An outgoing request a plugin asks the host to make. Only hosts declared in the manifest's
 * `permissions.network` are reachable (`*`: any host; private, loopback and metadata addresses
 * never). In the path and query of `url`, in `headers` and in `body`, the placeholder returned by
 * `ctx.secret(name)` is replaced by the secret's value on the host, after the plugin has handed
 * the request over, so plugin code never sees the value. Only placeholders `ctx.secret` made in
 * the same call are filled in (each call's carry a fresh random tag); placeholder-like text from
 * anywhere else, such as the tool's input, is sent as the text it is. Two more forms:
 *
 * - The whole host: `https://${ctx.secret('host')}/v1/items` (then `/`, `?`, `#` or the end). The
 *   value must be a bare host name, optionally with `:port` (no scheme, path, user info or
 *   placeholder); the resulting URL is then checked like any other. A secret in part of a host is
 *   refused.
 * - Basic auth: an `authorization` header of exactly `Basic ${ctx.secret('user')}:${ctx.secret('password')}`
 *   (any two secret names) is sent as `Basic base64(user:password)` (RFC 7617, UTF-8; the user
 *   name cannot contain `:`). Any other header or form is filled in as plain text.
 *
 * @example
 * ctx.fetch({ url: `https://${ctx.secret('host')}/v1/items`, headers: { authorization: `Basic ${ctx.secret('username')}:${ctx.secret('password')}` } });
 */
export interface FetchRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** A string body is sent as is; an object is sent as JSON (with `content-type: application/json`). */
  body?: string | Json;
}

/** What the host hands back: the body as text (and parsed, when it is JSON). */
export interface FetchResponse {
  status: number;
  ok: boolean;
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON, or `null` when it is not JSON. */
  json: Json | null;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The doors out of the sandbox a tool's `run` receives. */
export interface ToolContext {
  /** HTTP, only to the hosts the manifest declares; private and loopback addresses are refused. */
  fetch(request: FetchRequest): Promise<FetchResponse>;
  /** A line in the call's log (shown in the run monitor and by `agentflow-plugin test`). */
  log(level: LogLevel, message: string, data?: Json): void;
  /**
   * A placeholder for the named secret (declared in `permissions.secrets`), to put into a
   * `fetch` request: `headers: { authorization: `Bearer ${ctx.secret('accessToken')}` }`. Its
   * form is the host's business (it carries a random tag that changes with every call, so text
   * from the input cannot pass for one): use it as an opaque string, within the same call.
   */
  secret(name: string): string;
}

/**
 * @deprecated Placeholders are whatever `ctx.secret(name)` returns, `{{secret:<tag>:<name>}}`
 * with a random per-call tag; plugin code never needs to know or match the form. This matches
 * only the old untagged `{{secret:<name>}}`, which no host fills in any more (it is plain text).
 */
export const SECRET_PLACEHOLDER = /\{\{secret:([A-Za-z][A-Za-z0-9_]{0,63})\}\}/g;
/** @deprecated Not a placeholder any host fills in: use `ctx.secret(name)` (see {@link SECRET_PLACEHOLDER}). */
export const secretPlaceholder = (name: string): string => `{{secret:${name}}}`;

export type PluginKind = 'plugin' | 'agent_template' | 'workflow_template';

/** A tool's static description, as it appears in the manifest. */
export interface ToolManifest {
  /** Unique within the plugin; the tool's id is `<plugin>.<name>`. */
  name: string;
  title?: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
}

export interface OAuth2Auth {
  type: 'oauth2';
  authorizeUrl: string;
  tokenUrl: string;
  scopes: string[];
  /** Extra query parameters for the authorize URL (e.g. `access_type: offline` for Google). */
  authorizeParams?: Record<string, string>;
  /** How scopes are joined in the authorize URL: a space (RFC 6749), or commas where the provider documents them (Slack). */
  scopeSeparator?: ' ' | ',';
  /** Where `testIntegration` checks the token: a GET that answers 2xx when the token works. */
  testUrl?: string;
}

export interface ApiKeyAuth {
  type: 'apiKey';
  /** The secrets a person types in (e.g. `token`), each becoming a secret of the same name. */
  fields: { name: string; label: string; description?: string; optional?: boolean }[];
  testUrl?: string;
}

/** How an organization connects the service a plugin talks to. */
export interface IntegrationManifest {
  /** Shown in Settings → Integrations. */
  title: string;
  auth: OAuth2Auth | ApiKeyAuth;
}

/** An agent as data, created in the installing organization. */
export interface AgentTemplate {
  name: string;
  role: string;
  instructions: string;
  model: string;
  tools: string[];
  config?: Record<string, unknown>;
}

/** A workflow definition as data; agent nodes name agents of `agents` by their key. */
export interface WorkflowTemplate {
  name: string;
  description?: string;
  definition: Record<string, unknown>;
  /** Agents the workflow needs, created with it; agent nodes refer to them as `template:<key>`. */
  agents?: Record<string, AgentTemplate>;
}

/**
 * The plugin's manifest: indexable without running code. `name` and `version` come from the
 * package, the rest from `definePlugin` and the package.json `agentflow` key.
 */
export interface PluginManifest {
  /** Lowercase, digits and dashes; unique in the marketplace. */
  name: string;
  /** Strict semver. */
  version: string;
  kind: PluginKind;
  title: string;
  description: string;
  categories?: string[];
  /** Semver range of the AgentFlow plugin API this plugin works with. */
  engines: { agentflow: string };
  permissions: {
    /** Hostnames (exact, or `*.example.com`) the plugin may fetch from, over https (http only for tests). */
    network: string[];
    /** Secret names the plugin may reference with `ctx.secret`. */
    secrets: string[];
  };
  tools: ToolManifest[];
  integration?: IntegrationManifest;
  agentTemplate?: AgentTemplate;
  workflowTemplate?: WorkflowTemplate;
  changelog?: string;
}

/**
 * A packed plugin: one JSON document, never an archive. `sha256` covers the canonical JSON of
 * the manifest and the bundle (see `digestOf`); `signature` is an Ed25519 signature of that
 * digest by the publisher's key, whose public half the marketplace pins at first publish.
 */
export interface PackedPlugin {
  format: 'agentflow-plugin@1';
  manifest: PluginManifest;
  /** The bundled script (an IIFE assigning `AgentFlowPlugin`); empty for templates. */
  bundle: string;
  sha256: string;
  signature: { algorithm: 'ed25519'; publicKey: string; value: string } | null;
}

/** The current version of the plugin API (what `engines.agentflow` ranges are matched against). */
export const PLUGIN_API_VERSION = '1.0.0';
