import { describe, expect, it } from 'vitest';
import { cacheKey, type CacheKeyParts } from './cache.ts';

const base: CacheKeyParts = {
  models: ['gpt-6.1-sol'], system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }],
  tools: [{ name: 'calculator', description: 'Maths', inputSchema: { type: 'object', properties: { expression: { type: 'string' } } } }],
  temperature: 0.2, maxOutputTokens: 100,
};

describe('the cache key', () => {
  it('is the same for the same request whatever order its fields were built in', () => {
    const reordered: CacheKeyParts = { maxOutputTokens: 100, temperature: 0.2, tools: [{ inputSchema: { properties: { expression: { type: 'string' } }, type: 'object' }, description: 'Maths', name: 'calculator' }], messages: [{ content: 'Hi', role: 'user' }], system: 'Be brief.', models: ['gpt-6.1-sol'] };
    expect(cacheKey(reordered)).toBe(cacheKey(base));
  });

  it.each([
    ['model', { models: ['gpt-6.1-terra'] }],
    ['fallbacks', { models: ['gpt-6.1-sol', 'claude-haiku-4-5'] }],
    ['system prompt', { system: 'Be long.' }],
    ['messages', { messages: [{ role: 'user' as const, content: 'Hi!' }] }],
    ['tools', { tools: [] }],
    ['temperature', { temperature: 0.3 }],
    ['max tokens', { maxOutputTokens: 101 }],
  ])('changes with the %s', (_what, change) => {
    expect(cacheKey({ ...base, ...change })).not.toBe(cacheKey(base));
  });
});
