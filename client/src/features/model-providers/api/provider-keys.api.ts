import { gql } from 'urql';
import type { LlmProvider } from '../../../lib/llm-providers';

export type ProviderKeySource = 'ORGANIZATION' | 'ENVIRONMENT' | 'NONE';

export interface ProviderKey {
  provider: LlmProvider;
  source: ProviderKeySource;
  keyHint: string | null;
  baseUrl: string | null;
  updatedAt: string | null;
}

const PROVIDER_KEY_FIELDS = 'provider source keyHint baseUrl updatedAt';

export const ProviderKeysQuery = gql<{ organization: { id: string; providerKeys: ProviderKey[] } }, Record<string, never>>(`
  query ProviderKeys { organization { id providerKeys { ${PROVIDER_KEY_FIELDS} } } }
`);

export const SetProviderKeyMutation = gql<
  { setProviderKey: ProviderKey },
  { input: { provider: LlmProvider; apiKey?: string | null; baseUrl?: string | null } }
>(`
  mutation SetProviderKey($input: SetProviderKeyInput!) { setProviderKey(input: $input) { ${PROVIDER_KEY_FIELDS} } }
`);

export const RemoveProviderKeyMutation = gql<{ removeProviderKey: ProviderKey }, { provider: LlmProvider }>(`
  mutation RemoveProviderKey($provider: LlmProvider!) { removeProviderKey(provider: $provider) { ${PROVIDER_KEY_FIELDS} } }
`);
