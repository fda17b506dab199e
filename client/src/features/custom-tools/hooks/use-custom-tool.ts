import { useMemo } from 'react';
import { useQuery } from 'urql';
import { CustomToolsQuery } from '../api/custom-tools.api';
import { toolNameOf } from '../components/tool-draft';

/**
 * A saved custom tool by its tool name. Found in `customTools` rather than by listing name: the
 * server derives the listing's name from the tool's (underscores become dashes), and the tool's
 * own name is the part of its id after the plugin.
 */
export function useCustomTool(name: string) {
  const context = useMemo(() => ({ additionalTypenames: ['PluginListing'] }), []);
  const [{ data, error }, reexecute] = useQuery({ query: CustomToolsQuery, context });
  const tool = data?.customTools.find((t) => {
    const first = t.latestVersion?.tools[0];
    return (first ? toolNameOf(first.id) : t.title) === name;
  }) ?? null;
  return { tool, loaded: Boolean(data), error: data ? null : error, reload: () => reexecute({ requestPolicy: 'network-only' }) };
}
