/** The parts of a plugin's `integration` manifest the connect form needs, read defensively (it is server data). */
export interface ApiKeyField {
  name: string;
  label: string;
  description?: string;
}

export type IntegrationAuth = { type: 'oauth2'; scopes: string[] } | { type: 'apiKey'; fields: ApiKeyField[] };

export interface IntegrationInfo {
  title: string;
  auth: IntegrationAuth;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function apiKeyField(value: unknown): ApiKeyField | null {
  if (!isRecord(value) || typeof value.name !== 'string' || value.name === '') return null;
  const label = typeof value.label === 'string' && value.label !== '' ? value.label : value.name;
  return typeof value.description === 'string' ? { name: value.name, label, description: value.description } : { name: value.name, label };
}

/** The integration a plugin declares, or null when it declares none (or something this app cannot show). */
export function parseIntegration(value: unknown): IntegrationInfo | null {
  if (!isRecord(value) || !isRecord(value.auth)) return null;
  const title = typeof value.title === 'string' && value.title !== '' ? value.title : 'Integration';
  const auth = value.auth;
  if (auth.type === 'oauth2') {
    const scopes = Array.isArray(auth.scopes) ? auth.scopes.filter((s): s is string => typeof s === 'string') : [];
    return { title, auth: { type: 'oauth2', scopes } };
  }
  if (auth.type === 'apiKey') {
    const fields = Array.isArray(auth.fields) ? auth.fields.map(apiKeyField).filter((f): f is ApiKeyField => f !== null) : [];
    return fields.length > 0 ? { title, auth: { type: 'apiKey', fields } } : null;
  }
  return null;
}

/** Where the OAuth provider sends people back: the redirect URL to register in the provider's app settings. */
export function oauthCallbackUrl(origin: string): string {
  return `${origin}/oauth/callback`;
}
