import { z } from 'zod';
import type { Caller, Deps } from '../../graphql/context.ts';
import { assertAllowedBaseUrl, KEYED_PROVIDERS, keyContext, listStoredKeys, type KeyedProvider } from '../../llm/credentials.ts';
import { badInput } from '../../lib/errors.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { parseInput } from '../auth/validation.ts';

export type KeySource = 'organization' | 'environment' | 'none';

/** What the API tells about a provider's key: where it comes from and a hint, never the key. */
export interface ProviderKeyStatus { provider: KeyedProvider; source: KeySource; keyHint: string | null; baseUrl: string | null; updatedAt: Date | null }

export async function providerKeyStatuses(deps: Deps, organizationId: string): Promise<ProviderKeyStatus[]> {
  const stored = await listStoredKeys(deps.db, organizationId);
  return KEYED_PROVIDERS.map((provider) => {
    const own = stored.find((s) => s.provider === provider);
    if (own) return { provider, source: 'organization', keyHint: own.keyHint, baseUrl: own.baseUrl, updatedAt: own.updatedAt };
    const env = deps.config.llm.keys[provider];
    return { provider, source: env ? 'environment' : 'none', keyHint: null, baseUrl: env?.baseUrl ?? null, updatedAt: null };
  });
}

const httpUrl = z.url({ protocol: /^https?$/, message: 'Base URL must be an http(s) URL' }).max(500);
const setSchema = z.object({
  provider: z.enum(KEYED_PROVIDERS, 'The simulated model needs no key'),
  apiKey: z.string().trim().min(8, 'The key looks too short').max(500, 'The key is too long').nullish(),
  baseUrl: httpUrl.nullish(),
}).refine((v) => v.apiKey || (v.provider === 'openai_compatible' && v.baseUrl), {
  message: 'Enter an API key (an OpenAI-compatible server needs at least its base URL)', path: ['apiKey'],
});

/** The last four characters, so people can tell keys apart without seeing them. */
const hintOf = (key: string) => `…${key.slice(-4)}`;

export async function setProviderKey(deps: Deps, caller: Caller, input: unknown): Promise<ProviderKeyStatus> {
  const data = parseInput(setSchema, input);
  if (data.baseUrl) await assertAllowedBaseUrl(deps.config.llm, data.baseUrl);
  const orgId = caller.organizationId!;
  const encrypted = data.apiKey ? deps.secrets.seal(data.apiKey, keyContext(orgId, data.provider)) : null;
  const values = { encrypted_key: encrypted, key_hint: data.apiKey ? hintOf(data.apiKey) : null, base_url: data.baseUrl ?? null, updated_by: caller.user?.id ?? null, updated_at: new Date() };
  return deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('provider_credentials').values({ organization_id: orgId, provider: data.provider, ...values })
      .onConflict((oc) => oc.columns(['organization_id', 'provider']).doUpdateSet(values)).execute();
    // The audit entry names the provider and the hint; the key itself is never written anywhere but sealed.
    await writeAudit(trx, caller, { organizationId: orgId, action: 'provider_key.set', targetType: 'ProviderKey', targetId: data.provider, details: { provider: data.provider, keyHint: values.key_hint, baseUrl: values.base_url } });
    return { provider: data.provider, source: 'organization', keyHint: values.key_hint, baseUrl: values.base_url, updatedAt: values.updated_at };
  });
}

export async function removeProviderKey(deps: Deps, caller: Caller, provider: string): Promise<ProviderKeyStatus> {
  if (!(KEYED_PROVIDERS as readonly string[]).includes(provider)) throw badInput(`${provider} does not use keys`);
  const orgId = caller.organizationId!;
  await deps.db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom('provider_credentials').where('organization_id', '=', orgId).where('provider', '=', provider).executeTakeFirst();
    if (!removed.numDeletedRows) throw badInput('This organization has no key of its own for that provider');
    await writeAudit(trx, caller, { organizationId: orgId, action: 'provider_key.remove', targetType: 'ProviderKey', targetId: provider, details: { provider } });
  });
  return (await providerKeyStatuses(deps, orgId)).find((s) => s.provider === provider)!;
}
