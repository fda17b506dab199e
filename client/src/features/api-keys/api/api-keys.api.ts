import { gql } from 'urql';
import type { Role } from '../../../lib/roles';

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const API_KEY_FIELDS = 'id name prefix role createdBy { id name } createdAt lastUsedAt revokedAt';

export const ApiKeysQuery = gql<{ organization: { id: string; apiKeys: ApiKey[] } }, Record<string, never>>(`
  query ApiKeys { organization { id apiKeys { ${API_KEY_FIELDS} } } }
`);

export const CreateApiKeyMutation = gql<{ createApiKey: { apiKey: ApiKey; secret: string } }, { input: { name: string; role: Role } }>(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { secret apiKey { ${API_KEY_FIELDS} } }
  }
`);

export const RevokeApiKeyMutation = gql<{ revokeApiKey: ApiKey }, { id: string }>(`
  mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { ${API_KEY_FIELDS} } }
`);
