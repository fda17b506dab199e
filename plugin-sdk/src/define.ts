import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { AgentTemplate, IntegrationManifest, ToolContext, WorkflowTemplate } from './types.ts';

/** A tool as the plugin's code defines it: its manifest entry plus `run`. */
export interface ToolDefinition<Input = any> {
  name: string;
  title?: string;
  description: string;
  inputSchema: JSONSchema;
  outputSchema?: JSONSchema;
  run(input: Input, ctx: ToolContext): unknown;
}

/** What a plugin's entry module exports by default. */
export interface PluginDefinition {
  tools: ToolDefinition[];
  integration?: IntegrationManifest;
  agentTemplate?: AgentTemplate;
  workflowTemplate?: WorkflowTemplate;
}

/**
 * A tool whose input (and output) types are inferred from its JSON Schemas, so the schema the
 * host validates with and the type `run` is checked against are one and the same.
 *
 * @example
 * export const add = defineTool({
 *   name: 'add',
 *   description: 'Adds two numbers',
 *   inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } },
 *                  required: ['a', 'b'], additionalProperties: false },
 *   run: ({ a, b }) => ({ sum: a + b }),
 * });
 */
// `Input` as a defaulted parameter: FromSchema applied to a bare generic is too deep for the checker
// (json-schema-to-ts FAQ on generics).
export function defineTool<const I extends JSONSchema, Input = FromSchema<I>>(tool: {
  name: string;
  title?: string;
  description: string;
  inputSchema: I;
  /** Checked by the host after `run`: output that does not match fails the call. */
  outputSchema?: JSONSchema;
  run(input: Input, ctx: ToolContext): unknown;
}): ToolDefinition<Input> {
  return tool as ToolDefinition<Input>;
}

/**
 * How organizations connect the service the plugin talks to. The secrets it yields
 * (`accessToken` for OAuth 2.0, each field's name for API keys) are what `ctx.secret` names.
 *
 * @example
 * export const slack = defineIntegration({
 *   title: 'Slack',
 *   auth: { type: 'oauth2', authorizeUrl: 'https://slack.com/oauth/v2/authorize',
 *           tokenUrl: 'https://slack.com/api/oauth.v2.access', scopes: ['chat:write'] },
 * });
 */
export function defineIntegration(integration: IntegrationManifest): IntegrationManifest {
  return integration;
}

/** An agent, as data, that installing organizations get a copy of. */
export function defineAgentTemplate(template: AgentTemplate): AgentTemplate {
  return template;
}

/** A workflow (and the agents it needs), as data, that installing organizations get a copy of. */
export function defineWorkflowTemplate(template: WorkflowTemplate): WorkflowTemplate {
  return template;
}

/**
 * The plugin's entry: `export default definePlugin({ tools: [...] })`.
 *
 * @example
 * export default definePlugin({ tools: [add], integration: slack });
 */
export function definePlugin(plugin: Partial<PluginDefinition>): PluginDefinition {
  return { tools: [], ...plugin };
}
