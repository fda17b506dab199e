import { gql } from 'urql';

/** A saved custom tool: the organization's private plugin with one tool. */
export interface CustomTool {
  id: string;
  name: string;
  title: string;
  description: string;
  latestVersion: {
    id: string;
    version: string;
    createdAt: string;
    /** The tool's JavaScript (the server returns it for the organization's own custom tools). */
    customToolCode: string | null;
    permissions: { network: string[] };
    tools: { id: string; name: string; description: string; inputSchema: unknown }[];
  } | null;
}

export interface CustomToolDraft {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  code: string;
  network: string[];
}

export interface PluginLog {
  level: string;
  message: string;
  data: unknown;
  at: string;
}

export interface ToolTestResult {
  ok: boolean;
  output: unknown;
  error: string | null;
  errorCode: string | null;
  logs: PluginLog[];
  durationMs: number;
}

const TOOL_FIELDS = `id name title description
  latestVersion { id version createdAt customToolCode permissions { network } tools { id name description inputSchema } }`;

export const CustomToolsQuery = gql<{ customTools: CustomTool[] }, Record<string, never>>(`
  query CustomTools { customTools { ${TOOL_FIELDS} } }
`);

export const TestCustomToolMutation = gql<{ testCustomTool: ToolTestResult }, { input: CustomToolDraft & { input: unknown } }>(`
  mutation TestCustomTool($input: TestCustomToolInput!) {
    testCustomTool(input: $input) { ok output error errorCode logs { level message data at } durationMs }
  }
`);

export const SaveCustomToolMutation = gql<{ saveCustomTool: CustomTool }, { input: CustomToolDraft }>(`
  mutation SaveCustomTool($input: SaveCustomToolInput!) { saveCustomTool(input: $input) { ${TOOL_FIELDS} } }
`);
