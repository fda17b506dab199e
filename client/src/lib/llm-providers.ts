/** LlmProvider values of the API. */
export const LLM_PROVIDERS = ['ANTHROPIC', 'OPENAI', 'GEMINI', 'OPENAI_COMPATIBLE', 'SIMULATED'] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

export const PROVIDER_LABELS: Record<LlmProvider, string> = {
  ANTHROPIC: 'Anthropic',
  OPENAI: 'OpenAI',
  GEMINI: 'Google Gemini',
  OPENAI_COMPATIBLE: 'OpenAI-compatible',
  SIMULATED: 'Simulated',
};
