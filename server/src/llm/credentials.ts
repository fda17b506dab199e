import type { LlmConfig } from '../config/env.ts';
import type { Executor } from '../db/database.ts';
import { badInput } from '../lib/errors.ts';
import { privateAddressOf } from '../lib/network.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import type { ProviderCredentials, ProviderId } from './types.ts';

/** Providers that need a key (the simulated one never does). */
export const KEYED_PROVIDERS = ['anthropic', 'openai', 'gemini', 'openai_compatible'] as const;
export type KeyedProvider = (typeof KEYED_PROVIDERS)[number];

export const PROVIDER_NAMES: Record<ProviderId, string> = {
  anthropic: 'Anthropic',
  openai: 'OpenAI',
  gemini: 'Google Gemini',
  openai_compatible: 'OpenAI-compatible server',
  simulated: 'Simulated',
};

const ENV_VARS: Record<KeyedProvider, string> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
  gemini: 'GEMINI_API_KEY',
  openai_compatible: 'OPENAI_COMPATIBLE_BASE_URL',
};

/** The additional authenticated data binding a sealed key to its organization and provider. */
export const keyContext = (organizationId: string, provider: KeyedProvider) => `org:${organizationId}:provider:${provider}`;

export interface CredentialSources { db: Executor; llm: LlmConfig; secrets: SecretBox }

export interface StoredKey { provider: KeyedProvider; encryptedKey: string | null; keyHint: string | null; baseUrl: string | null; updatedAt: Date }

export async function listStoredKeys(db: Executor, organizationId: string): Promise<StoredKey[]> {
  const rows = await db.selectFrom('provider_credentials').selectAll().where('organization_id', '=', organizationId).execute();
  return rows.map((r) => ({ provider: r.provider as KeyedProvider, encryptedKey: r.encrypted_key, keyHint: r.key_hint, baseUrl: r.base_url, updatedAt: r.updated_at }));
}

/**
 * The key a call to `provider` uses: the organization's own (bring your own key) first, then the
 * server's environment. A missing key is a clear error naming the provider and where to set it.
 */
export async function resolveCredentials(src: CredentialSources, organizationId: string, provider: ProviderId): Promise<ProviderCredentials> {
  if (provider === 'simulated') return { apiKey: 'simulated' };
  const stored = await src.db.selectFrom('provider_credentials').select(['encrypted_key', 'base_url'])
    .where('organization_id', '=', organizationId).where('provider', '=', provider).executeTakeFirst();
  if (stored && (stored.encrypted_key || stored.base_url)) {
    const apiKey = stored.encrypted_key ? openKey(src, organizationId, provider, stored.encrypted_key) : 'not-needed';
    if (apiKey === undefined) {
      throw badInput(`The organization's ${PROVIDER_NAMES[provider]} key can no longer be decrypted (was APP_SECRET changed?): set it again in Settings → Model providers`);
    }
    if (stored.base_url) await assertAllowedBaseUrl(src.llm, stored.base_url);
    return { apiKey, ...(stored.base_url ? { baseUrl: stored.base_url } : {}) };
  }
  const fromEnv = src.llm.keys[provider];
  if (fromEnv) return fromEnv;
  throw badInput(`No API key for ${PROVIDER_NAMES[provider]}: add your organization's key in Settings → Model providers, or set ${ENV_VARS[provider]} on the server`);
}

/**
 * An organization's base URL must reach a public address unless the server allows private ones
 * (checked when it is set and again before each call, as DNS answers change).
 */
export async function assertAllowedBaseUrl(llm: LlmConfig, baseUrl: string): Promise<void> {
  if (llm.allowPrivateBaseUrls) return;
  let address: string | undefined;
  try {
    address = await privateAddressOf(baseUrl);
  } catch {
    throw badInput(`The base URL's host ${new URL(baseUrl).hostname} could not be resolved`);
  }
  if (address) throw badInput(`The base URL points at a private address (${address}); this server does not allow that (ALLOW_PRIVATE_PROVIDER_URLS)`);
}

/** Providers with a key from either source, for the model picker and for routing. */
export async function availableProviders(src: Pick<CredentialSources, 'db' | 'llm'>, organizationId: string): Promise<Set<ProviderId>> {
  const stored = await src.db.selectFrom('provider_credentials').select('provider').where('organization_id', '=', organizationId).execute();
  return new Set<ProviderId>(['simulated', ...Object.keys(src.llm.keys) as KeyedProvider[], ...stored.map((r) => r.provider as KeyedProvider)]);
}

/** Every key the organization's calls could use, for the output filter: answers must never contain one. */
export async function secretsToWithhold(src: CredentialSources, organizationId: string): Promise<string[]> {
  const stored = await listStoredKeys(src.db, organizationId);
  // A key that no longer decrypts cannot be sent anywhere either, so it need not be withheld.
  const own = stored.filter((s) => s.encryptedKey).map((s) => openKey(src, organizationId, s.provider, s.encryptedKey!)).filter((k) => k !== undefined);
  return [...own, ...Object.values(src.llm.keys).map((k) => k.apiKey)].filter((k) => k !== 'not-needed');
}

function openKey(src: CredentialSources, organizationId: string, provider: KeyedProvider, sealed: string): string | undefined {
  try {
    return src.secrets.open(sealed, keyContext(organizationId, provider));
  } catch {
    return undefined;
  }
}
