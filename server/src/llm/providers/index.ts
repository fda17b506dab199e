import type { LlmProvider, ProviderId } from '../types.ts';
import { anthropicProvider } from './anthropic.ts';
import { geminiProvider } from './gemini.ts';
import { openaiCompatibleProvider, openaiProvider } from './openai.ts';

/** The real provider adapters by id. The simulated provider lives apart (providers/simulated.ts). */
export const PROVIDERS: Record<Exclude<ProviderId, 'simulated'>, LlmProvider> = {
  anthropic: anthropicProvider,
  openai: openaiProvider,
  gemini: geminiProvider,
  openai_compatible: openaiCompatibleProvider,
};
