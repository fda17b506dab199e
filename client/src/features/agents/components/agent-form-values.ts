import type { Agent, AgentConfigInput, CreateAgentInput, PiiPolicy, UpdateAgentInput } from '../api/agents.api';

/** Number inputs hold '' while empty. */
type NumberField = number | string;

export interface AgentFormValues {
  name: string;
  role: string;
  instructions: string;
  model: string;
  tools: string[];
  status: 'ACTIVE' | 'INACTIVE';
  config: {
    /** '' = the provider's default. */
    temperature: NumberField;
    maxOutputTokens: NumberField;
    maxSteps: NumberField;
    /** '' = no cap. */
    maxCostPerRunUsd: NumberField;
    maxCostPerMonthUsd: NumberField;
    fallbackModels: string[];
    cacheEnabled: boolean;
    piiPolicy: PiiPolicy;
    toolsRequiringApproval: string[];
  };
}

// The server's defaults and limits (AgentConfig in the API schema).
export const MAX_OUTPUT_TOKENS = 64_000;
export const MAX_STEPS = 20;
export const MAX_TEMPERATURE = 2;
export const MAX_INSTRUCTIONS = 32_000;

export const NEW_AGENT_VALUES: AgentFormValues = {
  name: '',
  role: '',
  instructions: '',
  model: 'auto',
  tools: [],
  status: 'ACTIVE',
  config: {
    temperature: '',
    maxOutputTokens: 1024,
    maxSteps: 6,
    maxCostPerRunUsd: '',
    maxCostPerMonthUsd: '',
    fallbackModels: [],
    cacheEnabled: true,
    piiPolicy: 'REDACT',
    toolsRequiringApproval: [],
  },
};

const orEmpty = (value: number | null): NumberField => value ?? '';
const orNull = (value: NumberField): number | null => (value === '' ? null : Number(value));

export function valuesFromAgent(agent: Agent): AgentFormValues {
  const { config } = agent;
  return {
    name: agent.name,
    role: agent.role,
    instructions: agent.instructions,
    model: agent.model,
    tools: [...agent.tools],
    status: agent.status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE',
    config: {
      temperature: orEmpty(config.temperature),
      maxOutputTokens: config.maxOutputTokens,
      maxSteps: config.maxSteps,
      maxCostPerRunUsd: orEmpty(config.maxCostPerRunUsd),
      maxCostPerMonthUsd: orEmpty(config.maxCostPerMonthUsd),
      fallbackModels: [...config.fallbackModels],
      cacheEnabled: config.cacheEnabled,
      piiPolicy: config.piiPolicy,
      toolsRequiringApproval: [...(config.toolsRequiringApproval ?? [])],
    },
  };
}

function configInput(config: AgentFormValues['config'], tools: string[]): AgentConfigInput {
  return {
    // Explicit nulls: "provider default" and "no cap" replace a previous value.
    temperature: orNull(config.temperature),
    maxOutputTokens: Number(config.maxOutputTokens),
    maxSteps: Number(config.maxSteps),
    maxCostPerRunUsd: orNull(config.maxCostPerRunUsd),
    maxCostPerMonthUsd: orNull(config.maxCostPerMonthUsd),
    fallbackModels: config.fallbackModels,
    cacheEnabled: config.cacheEnabled,
    piiPolicy: config.piiPolicy,
    // Only enabled tools can require approval (the server refuses the rest).
    toolsRequiringApproval: config.toolsRequiringApproval.filter((name) => tools.includes(name)),
  };
}

export function toCreateInput(values: AgentFormValues): CreateAgentInput {
  return {
    name: values.name.trim(),
    role: values.role.trim(),
    instructions: values.instructions,
    model: values.model,
    tools: values.tools,
    config: configInput(values.config, values.tools),
    status: values.status,
  };
}

export function toUpdateInput(agent: Pick<Agent, 'id' | 'version'>, values: AgentFormValues): UpdateAgentInput {
  return { id: agent.id, expectedVersion: agent.version, ...toCreateInput(values) };
}

const isBlank = (v: NumberField) => v === '' || v === null || v === undefined;
function whole(min: number, max: number, what: string) {
  return (v: NumberField) => {
    const n = Number(v);
    return !isBlank(v) && Number.isInteger(n) && n >= min && n <= max ? null : `${what} must be a whole number from ${min} to ${max.toLocaleString('en-US')}`;
  };
}
function optionalPositive(v: NumberField) {
  return isBlank(v) || Number(v) > 0 ? null : 'Enter an amount above $0, or leave empty for no cap';
}

export const agentFormValidation = {
  name: (v: string) => (v.trim().length === 0 ? 'Name the agent' : v.trim().length > 100 ? 'Use at most 100 characters' : null),
  role: (v: string) => (v.trim().length > 200 ? 'Keep the role short: at most 200 characters' : null),
  instructions: (v: string) => (v.length > MAX_INSTRUCTIONS ? `Keep the instructions under ${MAX_INSTRUCTIONS.toLocaleString('en-US')} characters` : null),
  model: (v: string) => (v ? null : 'Pick a model'),
  config: {
    temperature: (v: NumberField) =>
      isBlank(v) || (Number(v) >= 0 && Number(v) <= MAX_TEMPERATURE) ? null : `Temperature goes from 0 to ${MAX_TEMPERATURE}`,
    maxOutputTokens: whole(1, MAX_OUTPUT_TOKENS, 'Max output tokens'),
    maxSteps: whole(1, MAX_STEPS, 'Max steps'),
    maxCostPerRunUsd: optionalPositive,
    maxCostPerMonthUsd: optionalPositive,
    fallbackModels: (v: string[], values: AgentFormValues) =>
      v.includes(values.model) ? 'The primary model is tried first anyway: remove it from the fallbacks' : null,
  },
};

const TOP_LEVEL = new Set(['name', 'role', 'instructions', 'model', 'tools', 'status']);
const CONFIG_KEYS = new Set(Object.keys(NEW_AGENT_VALUES.config));

/**
 * The form field a BAD_USER_INPUT error's `details.field` is about, or null when it names none:
 * "input.config.maxSteps", "config.maxSteps" and a bare "maxSteps" (config validated on its own)
 * → "config.maxSteps"; "tools.2" → "tools".
 */
export function formPathOf(field: unknown): string | null {
  if (typeof field !== 'string') return null;
  const path = field.replace(/^input\./, '').replace(/\.\d+$/, '');
  if (TOP_LEVEL.has(path)) return path;
  const key = path.replace(/^config\./, '');
  return CONFIG_KEYS.has(key) ? `config.${key}` : null;
}
