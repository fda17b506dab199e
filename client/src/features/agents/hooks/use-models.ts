import { useMemo } from 'react';
import { useQuery } from 'urql';
import { ModelsQuery, ToolsQuery } from '../api/agents.api';

/** The model catalog; refetched when a provider key changes (availability depends on it). */
export function useModels() {
  const context = useMemo(() => ({ additionalTypenames: ['ProviderKey'] }), []);
  const [{ data, fetching, error }, reexecute] = useQuery({ query: ModelsQuery, context });
  return { models: data?.models, fetching, error, reload: () => reexecute({ requestPolicy: 'network-only' }) };
}

export function useTools() {
  const [{ data, fetching, error }, reexecute] = useQuery({ query: ToolsQuery });
  return { tools: data?.tools, fetching, error, reload: () => reexecute({ requestPolicy: 'network-only' }) };
}
