import { useMemo } from 'react';
import { useQuery } from 'urql';
import { PickerAgentsQuery, PickerToolsQuery, type PickerAgent, type PickerTool } from '../api/workflows.api';

export interface PickerOptions {
  agents: PickerAgent[];
  tools: PickerTool[];
}

/** The organization's agents and tools for the `x-picker` fields; empty lists until they load. */
export function usePickerOptions(): PickerOptions & { error: unknown } {
  const context = useMemo(() => ({ additionalTypenames: ['Agent'] }), []);
  const [agents] = useQuery({ query: PickerAgentsQuery, context });
  const [tools] = useQuery({ query: PickerToolsQuery });
  const agentList = useMemo(() => agents.data?.agents.edges.map((e) => e.node) ?? [], [agents.data]);
  const toolList = useMemo(() => tools.data?.tools ?? [], [tools.data]);
  return { agents: agentList, tools: toolList, error: agents.error ?? tools.error ?? null };
}
