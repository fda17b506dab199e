import { describe, expect, it } from 'vitest';
import { NEW_AGENT_VALUES, formPathOf, toUpdateInput } from './agent-form-values';
import { templateVariables } from './template-variables';

describe('formPathOf', () => {
  it('maps the server field of a BAD_USER_INPUT error to a form path', () => {
    expect(formPathOf('name')).toBe('name');
    expect(formPathOf('input.name')).toBe('name');
    expect(formPathOf('config.maxSteps')).toBe('config.maxSteps');
    expect(formPathOf('maxSteps')).toBe('config.maxSteps');
    expect(formPathOf('tools.2')).toBe('tools');
    expect(formPathOf('expectedVersion')).toBeNull();
    expect(formPathOf(undefined)).toBeNull();
  });
});

describe('toUpdateInput', () => {
  it('sends the loaded version and explicit nulls for "provider default" and "no cap"', () => {
    const input = toUpdateInput({ id: 'Agent:1', version: 4 }, { ...NEW_AGENT_VALUES, name: '  Triage  ', model: 'gpt-5' });
    expect(input).toMatchObject({ id: 'Agent:1', expectedVersion: 4, name: 'Triage', model: 'gpt-5', status: 'ACTIVE' });
    expect(input.config).toEqual({
      temperature: null,
      maxOutputTokens: 1024,
      maxSteps: 6,
      maxCostPerRunUsd: null,
      maxCostPerMonthUsd: null,
      fallbackModels: [],
      cacheEnabled: true,
      piiPolicy: 'REDACT',
      toolsRequiringApproval: [],
    });
  });

  it('keeps approval only for tools that stay enabled', () => {
    const values = { ...NEW_AGENT_VALUES, tools: ['calculator'], config: { ...NEW_AGENT_VALUES.config, toolsRequiringApproval: ['calculator', 'current_time'] } };
    expect(toUpdateInput({ id: 'Agent:1', version: 1 }, values).config?.toolsRequiringApproval).toEqual(['calculator']);
  });
});

describe('templateVariables', () => {
  it('lists each {{variable}} once, in order', () => {
    expect(templateVariables('Hi {{ customer.name }}, about {{ticket_id}}: {{customer.name}} {{ not valid }} {single}')).toEqual([
      'customer.name',
      'ticket_id',
    ]);
  });
});
