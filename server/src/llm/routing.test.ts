import { describe, expect, it } from 'vitest';
import { routeModel, SHORT_PROMPT_CHARS } from './routing.ts';
import type { ProviderId } from './types.ts';

const keys = (...p: ProviderId[]) => new Set<ProviderId>(['simulated', ...p]);

describe('routing for "auto"', () => {
  it('sends a short prompt without tools to the cheapest fast model that has a key', () => {
    const d = routeModel({ promptChars: 40, needsTools: false }, keys('anthropic', 'openai', 'gemini'));
    expect(d.model.id).toBe('gpt-6-luna');
    expect(d.reason).toBe('short prompt (40 chars) without tools: cheapest fast model gpt-6-luna');
    expect(routeModel({ promptChars: 40, needsTools: false }, keys('anthropic')).model.id).toBe('claude-haiku-4-5');
  });

  it('sends tool use and long prompts to a strong model', () => {
    expect(routeModel({ promptChars: 40, needsTools: true }, keys('openai')).model.id).toBe('gpt-6.1-sol');
    expect(routeModel({ promptChars: 40, needsTools: true }, keys('anthropic', 'openai')).model.id).toBe('claude-sonnet-5-5');
    const long = routeModel({ promptChars: SHORT_PROMPT_CHARS + 1, needsTools: false }, keys('gemini'));
    expect(long.model.id).toBe('gemini-2.5-pro');
    expect(long.reason).toBe(`long prompt (${SHORT_PROMPT_CHARS + 1} chars): strong model gemini-2.5-pro`);
  });

  it('falls back to what exists, and to the simulated model with no key at all, saying so', () => {
    expect(routeModel({ promptChars: 10, needsTools: false }, keys()).reason).toContain('no provider key configured, using the simulated model');
    expect(routeModel({ promptChars: 10, needsTools: false }, keys()).model.id).toBe('simulated');
  });
});
