import { z } from 'zod';
import { isKnownModel } from './catalog.ts';

export const PII_POLICIES = ['allow', 'redact', 'block'] as const;
export type PiiPolicy = (typeof PII_POLICIES)[number];

const knownModel = z.string().refine(isKnownModel, { message: 'Unknown model' });
const usd = z.number().positive('must be more than 0').max(1_000_000).nullable();

/** An agent's call settings: how its model calls are made, limited and guarded. */
export const agentConfigSchema = z.object({
  temperature: z.number().min(0, 'temperature must be between 0 and 2').max(2, 'temperature must be between 0 and 2').nullable().default(null),
  maxOutputTokens: z.number().int().min(1, 'maxOutputTokens must be at least 1').max(64_000, 'maxOutputTokens must be at most 64000').default(1024),
  maxSteps: z.number().int().min(1, 'maxSteps must be between 1 and 20').max(20, 'maxSteps must be between 1 and 20').default(6),
  maxCostPerRunUsd: usd.default(null),
  maxCostPerMonthUsd: usd.default(null),
  fallbackModels: z.array(knownModel.refine((m) => m !== 'auto', 'auto cannot be a fallback')).max(5, 'at most 5 fallback models').default([]),
  cacheEnabled: z.boolean().default(true),
  piiPolicy: z.enum(PII_POLICIES).default('redact'),
  /** Tools whose every call, inside a workflow run, waits for a person to approve it (with its arguments). */
  toolsRequiringApproval: z.array(z.string()).max(32).default([]),
});

export type AgentConfig = z.infer<typeof agentConfigSchema>;
export const DEFAULT_AGENT_CONFIG: AgentConfig = agentConfigSchema.parse({});

/** What the runner needs of an agent: its saved definition, whatever stores it. */
export interface AgentSpec {
  id: string;
  model: string;
  instructions: string;
  tools: string[];
  config: AgentConfig;
}
