export { defineAgentTemplate, defineIntegration, definePlugin, defineTool, defineWorkflowTemplate } from './define.ts';
export type { PluginDefinition, ToolDefinition } from './define.ts';
export * from './types.ts';
