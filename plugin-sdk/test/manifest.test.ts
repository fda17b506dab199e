import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { hostAllowed, integrationSecrets, manifestSchema, permissionsGrew, validateManifest } from '../src/manifest.ts';
import type { OAuth2Auth, PluginManifest } from '../src/types.ts';

const valid: PluginManifest = {
  name: 'github-tools',
  version: '1.2.3',
  kind: 'plugin',
  title: 'GitHub tools',
  description: 'Looks up repositories',
  categories: ['developer-tools'],
  engines: { agentflow: '^1.0.0' },
  permissions: { network: ['api.github.com', '*.githubusercontent.com'], secrets: ['token'] },
  tools: [{
    name: 'get_repository',
    title: 'Get a repository',
    description: 'Looks up a repository',
    inputSchema: { type: 'object', properties: { owner: { type: 'string' } }, required: ['owner'] },
    outputSchema: { type: 'object' },
  }],
  integration: { title: 'GitHub', auth: { type: 'apiKey', fields: [{ name: 'token', label: 'Token' }] } },
};

/** The valid manifest with some fields replaced (or removed, with `undefined`). */
function variant(changes: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = structuredClone(valid) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
  }
  return copy;
}

const errorsOf = (value: unknown): string[] => {
  const result = validateManifest(value);
  return result.ok ? [] : result.errors;
};

/** A Slack-like OAuth integration (or an API key one) with the given network permissions and auth fields replaced. */
const slackVariant = (network: string[], auth: Record<string, unknown> = {}) => variant({
  permissions: { network, secrets: ['accessToken'] },
  integration: { title: 'Slack', auth: {
    type: 'oauth2', authorizeUrl: 'https://slack.com/oauth/v2/authorize', tokenUrl: 'https://slack.com/api/oauth.v2.access',
    testUrl: 'https://slack.com/api/auth.test', scopes: ['chat:write'], ...auth,
  } },
});
const apiKeyVariant = (network: string[], testUrl: string) => variant({
  permissions: { network, secrets: ['apiKey'] },
  integration: { title: 'Weather', auth: { type: 'apiKey', fields: [{ name: 'apiKey', label: 'API key' }], testUrl } },
});

describe('validateManifest', () => {
  test('accepts a complete plugin manifest and an agent template', () => {
    expect(validateManifest(valid)).toEqual({ ok: true, manifest: valid });
    expect(errorsOf(variant({ permissions: { network: ['*'], secrets: ['token'] } }))).toEqual([]);
    const template = variant({
      kind: 'agent_template', tools: [], integration: undefined, permissions: { network: [], secrets: [] },
      agentTemplate: { name: 'Helper', role: 'Helps', instructions: 'Help.', model: 'simulated', tools: ['calculator'] },
    });
    expect(errorsOf(template)).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['a name with capitals', { name: 'GitHub' }, 'name: must be 3 to 64 lowercase letters, digits or dashes, starting with a letter and not ending with a dash (got "GitHub")'],
    ['a name ending in a dash', { name: 'github-' }, 'name: must be 3 to 64 lowercase letters'],
    ['a loose version', { version: 'v1.2.3' }, 'version: must be a strict semver version such as 1.2.3 or 2.0.0-beta.1 (got "v1.2.3")'],
    ['a two-part version', { version: '1.2' }, 'version: must be a strict semver version'],
    ['an unknown kind', { kind: 'theme' }, 'kind: must be one of "plugin", "agent_template", "workflow_template" (got "theme")'],
    ['no title', { title: undefined }, 'title: is required'],
    ['an empty description', { description: '' }, 'description: must NOT have fewer than 1 characters'],
    ['a category with spaces', { categories: ['Developer Tools'] }, 'categories[0]: must be a lowercase category'],
    ['an engines range that is not semver', { engines: { agentflow: 'latest' } }, 'engines.agentflow: must be a semver range such as ^1.0.0 (got "latest")'],
    ['an engines range this API does not satisfy', { engines: { agentflow: '^2.0.0' } }, 'engines.agentflow: needs AgentFlow plugin API ^2.0.0, this is 1.0.0'],
    ['no engines', { engines: undefined }, 'engines: is required'],
    ['a URL instead of a host', { permissions: { network: ['https://api.github.com'], secrets: ['token'] } }, 'permissions.network[0]: must be a lowercase hostname'],
    ['an IP address', { permissions: { network: ['169.254.169.254'], secrets: ['token'] } }, 'permissions.network[0]: must be a lowercase hostname such as api.example.com, a wildcard such as *.example.com, or * for any public host (no scheme, port, path or IP address) (got "169.254.169.254")'],
    ['a host with a port', { permissions: { network: ['api.github.com:8443'], secrets: ['token'] } }, 'permissions.network[0]: must be a lowercase hostname'],
    ['a wildcard on a top-level domain', { permissions: { network: ['*.com'], secrets: ['token'] } }, 'permissions.network[0]: must be a lowercase hostname'],
    ['a wildcard in the middle', { permissions: { network: ['api.*.com'], secrets: ['token'] } }, 'permissions.network[0]: must be a lowercase hostname'],
    ['a bare wildcard label', { permissions: { network: ['*.'], secrets: ['token'] } }, 'permissions.network[0]: must be a lowercase hostname'],
    ['a duplicate host', { permissions: { network: ['api.github.com', 'api.github.com'], secrets: ['token'] } }, 'permissions.network: must NOT have duplicate items'],
    ['a secret name with a dash', { permissions: { network: [], secrets: ['token', 'api-key'] } }, 'permissions.secrets[1]: must be a secret name of up to 64 letters, digits or underscores, starting with a letter (got "api-key")'],
    ['no permissions', { permissions: undefined }, 'permissions: is required'],
    ['an unknown field', { homepage: 'https://example.com' }, 'homepage: is not a known field'],
    ['a plugin without tools', { tools: [] }, 'tools: must NOT have fewer than 1 items (a plugin of kind "plugin" has at least one tool and no templates)'],
    ['a template with tools', { kind: 'workflow_template', integration: undefined }, 'workflowTemplate: is required (a workflow_template has a workflowTemplate and no tools, integration or agentTemplate)'],
    ['an OAuth integration without its token URL', { integration: { title: 'GitHub', auth: { type: 'oauth2', authorizeUrl: 'https://github.com/login/oauth/authorize', scopes: [] } } }, 'integration.auth.tokenUrl: is required'],
    ['an OAuth token URL over http', { integration: { title: 'GitHub', auth: { type: 'oauth2', authorizeUrl: 'https://github.com/login/oauth/authorize', tokenUrl: 'http://github.com/token', scopes: [] } } }, 'integration.auth.tokenUrl: must be an https:// URL (http:// only for localhost) (got "http://github.com/token")'],
    ['an unknown auth type', { integration: { title: 'GitHub', auth: { type: 'basic' } } }, 'integration.auth.type: must be one of "oauth2", "apiKey" (got "basic")'],
    ['an integration secret not declared', { permissions: { network: ['api.github.com'], secrets: [] } }, 'permissions.secrets: must declare "token", the secret the integration yields (so installers consent to it)'],
  ])('refuses %s', (_what, changes, error) => {
    const errors = errorsOf(variant(changes));
    expect(errors.some((e) => e.startsWith(error)), `expected "${error}" in:\n${errors.join('\n')}`).toBe(true);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['a tool name with capitals', { name: 'GetRepo' }, 'tools[0].name: must be 1 to 48 lowercase letters, digits or single underscores, starting with a letter (got "GetRepo")'],
    ['a tool name with a double underscore', { name: 'get__repo' }, 'tools[0].name: must be 1 to 48'],
    ['a tool name that is too long', { name: `a${'b'.repeat(48)}` }, 'tools[0].name: must be 1 to 48'],
    ['a tool without a description', { description: undefined }, 'tools[0].description: is required'],
    ['a tool whose input is not an object', { inputSchema: { type: 'string' } }, 'tools[0].inputSchema.type: must be "object" (a tool\'s input is an object of named arguments) (got "string")'],
    ['a tool input schema that is not JSON Schema', { inputSchema: { type: 'object', properties: { owner: { type: 'text' } } } }, 'tools[0].inputSchema: is not a valid JSON Schema'],
    ['a tool output schema that is not JSON Schema', { outputSchema: { type: 'object', required: 'owner' } }, 'tools[0].outputSchema: is not a valid JSON Schema'],
    ['a tool with an unknown field', { handler: 'run' }, 'tools[0].handler: is not a known field'],
  ])('refuses %s', (_what, changes, error) => {
    const tool: Record<string, unknown> = { ...valid.tools[0]!, ...changes };
    for (const [key, value] of Object.entries(changes)) if (value === undefined) delete tool[key];
    const errors = errorsOf(variant({ tools: [tool] }));
    expect(errors.some((e) => e.startsWith(error)), `expected "${error}" in:\n${errors.join('\n')}`).toBe(true);
  });

  describe('the hosts the server sends credentials to', () => {
    test('accepts token and test URLs on hosts permissions.network covers, exactly, by a wildcard or by *', () => {
      expect(errorsOf(slackVariant(['slack.com']))).toEqual([]);
      expect(errorsOf(slackVariant(['*.example.com'], { tokenUrl: 'https://auth.example.com/token', testUrl: 'https://api.example.com/me' }))).toEqual([]);
      expect(errorsOf(slackVariant(['*']))).toEqual([]);
      expect(errorsOf(apiKeyVariant(['api.weather.example'], 'https://api.weather.example/v1/me?key={{secret:apiKey}}'))).toEqual([]);
    });

    test('the authorize URL may be elsewhere: only the browser goes there', () => {
      expect(errorsOf(slackVariant(['slack.com'], { authorizeUrl: 'https://login.slack-accounts.example/authorize' }))).toEqual([]);
    });

    test('refuses a token URL outside permissions.network, naming the field and the host', () => {
      expect(errorsOf(slackVariant(['slack.com'], { tokenUrl: 'https://collector.evil.example/token' }))).toEqual([
        'integration.auth.tokenUrl: its host collector.evil.example is not in permissions.network; add "collector.evil.example" (or a wildcard covering it) to permissions.network (the server sends the OAuth client secret and refresh tokens to this URL, so installers must consent to its host)',
      ]);
      // A wildcard covers subdomains only.
      expect(errorsOf(slackVariant(['*.slack.com']))).toEqual([
        'integration.auth.tokenUrl: its host slack.com is not in permissions.network; add "slack.com" (or a wildcard covering it) to permissions.network (the server sends the OAuth client secret and refresh tokens to this URL, so installers must consent to its host)',
        'integration.auth.testUrl: its host slack.com is not in permissions.network; add "slack.com" (or a wildcard covering it) to permissions.network (the server sends the credentials to this URL to test them, so installers must consent to its host)',
      ]);
    });

    test('refuses a test URL outside permissions.network, for OAuth 2.0 and API keys', () => {
      expect(errorsOf(slackVariant(['slack.com'], { testUrl: 'https://evil.example/?t=1' }))).toEqual([
        'integration.auth.testUrl: its host evil.example is not in permissions.network; add "evil.example" (or a wildcard covering it) to permissions.network (the server sends the credentials to this URL to test them, so installers must consent to its host)',
      ]);
      expect(errorsOf(apiKeyVariant(['api.weather.example'], 'https://evil.example/?k={{secret:apiKey}}'))).toEqual([
        'integration.auth.testUrl: its host evil.example is not in permissions.network; add "evil.example" (or a wildcard covering it) to permissions.network (the server sends the credentials to this URL to test them, so installers must consent to its host)',
      ]);
    });

    test('refuses hosts no network entry but * can name, and placeholders in the host', () => {
      expect(errorsOf(apiKeyVariant(['api.weather.example'], 'http://localhost:8080/me'))).toEqual([
        'integration.auth.testUrl: its host localhost is not in permissions.network; only "*" in permissions.network covers an address or a single-label host (the server sends the credentials to this URL to test them, so installers must consent to its host)',
      ]);
      expect(errorsOf(apiKeyVariant(['*'], 'http://localhost:8080/me'))).toEqual([]);
      expect(errorsOf(apiKeyVariant(['*.weather.example'], 'https://{{secret:apiKey}}.weather.example/me'))).toEqual([
        'integration.auth.testUrl: must not put a {{secret:…}} placeholder in its host (the server sends the credentials to this URL to test them, so its host must be one permissions.network lists)',
      ]);
    });
  });

  test('refuses two tools with the same name', () => {
    expect(errorsOf(variant({ tools: [valid.tools[0], valid.tools[0]] }))).toEqual(['tools[1].name: "get_repository" is used by another tool of this plugin']);
  });

  test('reports every problem at once, each with its path', () => {
    const errors = errorsOf(variant({ name: 'X', version: '1', engines: { agentflow: '^9.0.0' }, title: undefined }));
    expect(errors).toEqual([
      'title: is required',
      'name: must be 3 to 64 lowercase letters, digits or dashes, starting with a letter and not ending with a dash (got "X")',
      'version: must be a strict semver version such as 1.2.3 or 2.0.0-beta.1 (got "1")',
      'engines.agentflow: needs AgentFlow plugin API ^9.0.0, this is 1.0.0',
    ]);
  });

  test('refuses what is not an object', () => {
    expect(errorsOf(null)).toEqual(['manifest: must be object']);
    expect(errorsOf([valid])).toEqual(['manifest: must be object']);
  });

  test('the schema alone compiles in a strict ajv, as the server may use it', () => {
    const validate = new Ajv2020({ strict: true }).compile(manifestSchema);
    expect(validate(valid)).toBe(true);
    expect(validate({ ...valid, name: 'Bad Name' })).toBe(false);
  });
});

const withPermissions = (network: string[], secrets: string[], scopes?: string[]): PluginManifest => ({
  ...valid,
  permissions: { network, secrets },
  ...(scopes ? { integration: { title: 'Slack', auth: { type: 'oauth2', authorizeUrl: 'https://slack.com/oauth/v2/authorize', tokenUrl: 'https://slack.com/api/oauth.v2.access', scopes } } } : {}),
});

const oauthManifest = (auth: Partial<OAuth2Auth> = {}): PluginManifest => ({
  ...valid,
  permissions: { network: ['slack.com', '*.example.com'], secrets: ['accessToken'] },
  integration: { title: 'Slack', auth: {
    type: 'oauth2', authorizeUrl: 'https://slack.com/oauth/v2/authorize', tokenUrl: 'https://slack.com/api/oauth.v2.access',
    scopes: ['chat:write'], scopeSeparator: ',', testUrl: 'https://slack.com/api/auth.test', ...auth,
  } },
});
const apiKeyManifest = (fields: string[], testUrl?: string): PluginManifest => ({
  ...valid,
  permissions: { network: ['slack.com', '*.example.com'], secrets: ['accessToken', ...fields] },
  integration: { title: 'Weather', auth: { type: 'apiKey', fields: fields.map((name) => ({ name, label: name })), ...(testUrl ? { testUrl } : {}) } },
});

describe('permissions', () => {
  test('permissionsGrew lists new hosts, secrets and OAuth scopes only', () => {
    const v1 = withPermissions(['api.github.com', '*.slack.com'], ['token'], ['chat:write']);
    expect(permissionsGrew(v1, v1)).toEqual([]);
    expect(permissionsGrew(v1, withPermissions(['files.slack.com', 'api.github.com'], [], ['chat:write']))).toEqual([]);
    expect(permissionsGrew(v1, withPermissions(['api.github.com', 'uploads.github.com', '*.files.slack.com', '*.example.com'], ['token', 'accessToken'], ['chat:write', 'channels:read'])))
      .toEqual(['network host uploads.github.com', 'network host *.example.com', 'secret accessToken', 'OAuth scope channels:read']);
    // A wildcard replacing an exact host reaches more hosts; `*` reaches every host.
    expect(permissionsGrew(withPermissions(['api.github.com'], []), withPermissions(['*.github.com'], []))).toEqual(['network host *.github.com']);
    expect(permissionsGrew(withPermissions(['*.github.com'], []), withPermissions(['*'], []))).toEqual(['network host * (any host)']);
    expect(permissionsGrew(withPermissions(['*'], []), withPermissions(['api.github.com', '*.example.com'], []))).toEqual([]);
  });

  describe('permissionsGrew and the integration', () => {
    test('a new token URL asks for consent even when its host was already allowed', () => {
      // The scenario of the review: same hosts and secrets, the token endpoint moved.
      expect(permissionsGrew(oauthManifest(), oauthManifest({ tokenUrl: 'https://collector.example.com/token' })))
        .toEqual(['integration token URL https://collector.example.com/token (was https://slack.com/api/oauth.v2.access)']);
    });

    test('any change to the URLs, the separator or the authorize parameters is reported, worded for an admin', () => {
      const v1 = oauthManifest({ authorizeParams: { user_scope: '' } });
      const v2 = oauthManifest({
        authorizeUrl: 'https://login.example.com/authorize', testUrl: 'https://api.example.com/me', scopeSeparator: ' ',
        authorizeParams: { user_scope: 'admin,chat:write', team: 'T1' }, scopes: ['chat:write', 'channels:read'],
      });
      expect(permissionsGrew(v1, v2)).toEqual([
        'integration authorize URL https://login.example.com/authorize (was https://slack.com/oauth/v2/authorize)',
        'integration test URL https://api.example.com/me (was https://slack.com/api/auth.test)',
        'integration scopes joined by " " (was ",")',
        'integration authorize parameter user_scope="admin,chat:write" (was "")',
        'integration authorize parameter team="T1"',
        'OAuth scope channels:read',
      ]);
      // A parameter dropped can widen the request too (one that narrowed a scope).
      expect(permissionsGrew(oauthManifest({ authorizeParams: { scope: 'chat:write' } }), oauthManifest())).toEqual(['integration authorize parameter scope removed (was "chat:write")']);
      expect(permissionsGrew(v2, v2)).toEqual([]);
    });

    test('a new auth type, a new integration and new API key fields are reported', () => {
      expect(permissionsGrew(apiKeyManifest(['token']), oauthManifest())).toEqual([
        'integration Slack using OAuth 2.0 (was an API key)',
        'integration authorize URL https://slack.com/oauth/v2/authorize',
        'integration token URL https://slack.com/api/oauth.v2.access',
        'integration test URL https://slack.com/api/auth.test',
        'integration scopes joined by ","',
        'OAuth scope chat:write',
      ]);
      const none: PluginManifest = { ...valid, integration: undefined, permissions: { network: ['slack.com', '*.example.com'], secrets: ['accessToken', 'token', 'region'] } };
      expect(permissionsGrew(none, apiKeyManifest(['token'], 'https://api.example.com/me'))).toEqual([
        'integration Weather using an API key', 'integration test URL https://api.example.com/me', 'integration API key field token',
      ]);
      expect(permissionsGrew(apiKeyManifest(['token']), apiKeyManifest(['token', 'region']))).toEqual(['secret region', 'integration API key field region']);
    });

    test('what only narrows asks for nothing', () => {
      expect(permissionsGrew(oauthManifest({ scopes: ['chat:write', 'channels:read'] }), oauthManifest())).toEqual([]);
      expect(permissionsGrew(oauthManifest(), oauthManifest({ testUrl: undefined }))).toEqual([]);
      expect(permissionsGrew(apiKeyManifest(['token', 'region']), apiKeyManifest(['token']))).toEqual([]);
      expect(permissionsGrew(oauthManifest(), { ...oauthManifest(), integration: undefined })).toEqual([]);
      // The title is only a label.
      expect(permissionsGrew(oauthManifest(), { ...oauthManifest(), integration: { ...oauthManifest().integration!, title: 'Slack (new)' } })).toEqual([]);
    });
  });

  test('hostAllowed matches exact hosts and subdomains of wildcards', () => {
    expect(hostAllowed('api.github.com', ['api.github.com'])).toBe(true);
    expect(hostAllowed('API.GitHub.com.', ['api.github.com'])).toBe(true);
    expect(hostAllowed('a.b.github.com', ['*.github.com'])).toBe(true);
    expect(hostAllowed('github.com', ['*.github.com'])).toBe(false);
    expect(hostAllowed('evilgithub.com', ['*.github.com'])).toBe(false);
    expect(hostAllowed('api.github.com.evil.com', ['api.github.com'])).toBe(false);
    expect(hostAllowed('anything.example', ['*'])).toBe(true);
  });

  test('integrationSecrets names what each auth type yields', () => {
    expect(integrationSecrets({ title: 'Slack', auth: { type: 'oauth2', authorizeUrl: 'https://a.example.com', tokenUrl: 'https://a.example.com', scopes: [] } })).toEqual(['accessToken']);
    expect(integrationSecrets({ title: 'X', auth: { type: 'apiKey', fields: [{ name: 'key', label: 'Key' }, { name: 'secret', label: 'Secret' }] } })).toEqual(['key', 'secret']);
  });
});
