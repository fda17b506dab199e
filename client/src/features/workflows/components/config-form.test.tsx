import { useState } from 'react';
import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { theme } from '../../../app/theme';
import { NODE_TYPES, configSchema, defaultConfig } from '../../../editor/core/definition';
import { errorsByField, validateNode } from '../../../editor/core/node-validation';
import type { PickerAgent, PickerTool } from '../api/workflows.api';
import { ConfigForm } from './config-form';
import { fieldKind, parseScalar } from './field-kind';

const agents: PickerAgent[] = [
  { id: 'Agent:1', name: 'Triage', status: 'ACTIVE' },
  { id: 'Agent:2', name: 'Writer', status: 'INACTIVE' },
];
const tools: PickerTool[] = [{ id: 'http.get', name: 'http.get', description: 'Fetch a URL', inputSchema: {} }];

/** The form as the designer uses it: config in state, errors from the shared schema via ajv. */
function Harness({ type, initial, onConfig }: { type: string; initial: Record<string, unknown>; onConfig?: (config: Record<string, unknown>) => void }) {
  const [config, setConfig] = useState(initial);
  const errors = errorsByField(validateNode({ id: `${type}_1`, type, name: 'Node', config }));
  return (
    <ConfigForm
      nodeType={type}
      value={config}
      onChange={(next) => {
        setConfig(next);
        onConfig?.(next);
      }}
      errors={errors}
      readOnly={false}
      agents={agents}
      tools={tools}
    />
  );
}

function renderForm(type: string, initial: Record<string, unknown> = defaultConfig(type), onConfig?: (config: Record<string, unknown>) => void) {
  return render(
    <MantineProvider theme={theme} env="test">
      <Harness type={type} initial={initial} onConfig={onConfig} />
    </MantineProvider>,
  );
}

const field = (key: string) => screen.getByTestId(`config-${key}`);

const props = (type: string) => configSchema(type)!.properties!;

describe('fieldKind', () => {
  it('picks an input per schema', () => {
    expect(fieldKind(props('agent').agentId!)).toBe('agent');
    expect(fieldKind(props('agent').prompt!)).toBe('textarea');
    expect(fieldKind(props('tool').tool!)).toBe('tool');
    expect(fieldKind(props('tool').input!)).toBe('json');
    expect(fieldKind(props('trigger').kind!)).toBe('select');
    expect(fieldKind(props('trigger').cron!)).toBe('text');
    expect(fieldKind(props('approval').timeoutSeconds!)).toBe('number');
    expect(fieldKind(props('condition').rules!)).toBe('rows');
    expect(fieldKind(props('output').value!)).toBe('json');
    expect(fieldKind({ type: 'boolean' })).toBe('boolean');
    expect(fieldKind(props('code').code!)).toBe('code');
  });

  it('reads one-line values as numbers and booleans when they look like them', () => {
    expect(parseScalar('42')).toBe(42);
    expect(parseScalar('true')).toBe(true);
    expect(parseScalar('"42"')).toBe('42');
    expect(parseScalar('urgent')).toBe('urgent');
    expect(parseScalar('{oops')).toBe('{oops');
  });
});

describe('ConfigForm', () => {
  it.each(NODE_TYPES)('renders a field for each config property of a %s node', (type) => {
    renderForm(type);
    const properties = Object.keys(configSchema(type)!.properties ?? {});
    for (const key of properties) expect(field(key), key).toBeTruthy();
    expect(screen.queryByTestId('config-empty') !== null).toBe(properties.length === 0);
  });

  it('offers the organization agents and shows the schema error until one is picked', () => {
    renderForm('agent');
    const picker = field('agentId');
    expect(picker.closest('.mantine-InputWrapper-root')?.textContent).toContain('Required');
    expect(picker.getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(picker);
    expect(screen.getByRole('option', { name: 'Writer (inactive)' })).toBeTruthy();
    fireEvent.click(screen.getByRole('option', { name: 'Triage' }));
    expect((field('agentId') as HTMLInputElement).value).toBe('Triage');
    expect(field('agentId').getAttribute('aria-invalid')).not.toBe('true');
  });

  it('edits templates in a textarea and enums in a select', () => {
    const onConfig = vi.fn<(config: Record<string, unknown>) => void>();
    renderForm('approval', { message: 'Ship it?' }, onConfig);
    expect(field('message').tagName).toBe('TEXTAREA');
    fireEvent.change(field('message'), { target: { value: 'Refund {{input.amount}}?' } });
    expect(onConfig).toHaveBeenLastCalledWith({ message: 'Refund {{input.amount}}?' });
    fireEvent.change(field('timeoutSeconds'), { target: { value: '0' } });
    expect(field('timeoutSeconds').closest('.mantine-InputWrapper-root')?.textContent).toContain('Must be > 0');
  });

  it('shows JSON parse errors without passing the broken text on', () => {
    const onConfig = vi.fn<(config: Record<string, unknown>) => void>();
    renderForm('tool', { tool: 'http.get', input: { url: '{{input.url}}' } }, onConfig);
    expect((field('input') as HTMLTextAreaElement).value).toBe('{\n  "url": "{{input.url}}"\n}');
    fireEvent.change(field('input'), { target: { value: '{ "url": ' } });
    expect(field('input').getAttribute('data-json-valid')).toBe('false');
    expect(field('input').closest('.mantine-InputWrapper-root')?.textContent).toContain('Not valid JSON');
    expect(onConfig).not.toHaveBeenCalled();
    fireEvent.change(field('input'), { target: { value: '{ "url": "https://example.com", "retries": 2 }' } });
    expect(onConfig).toHaveBeenLastCalledWith({ tool: 'http.get', input: { url: 'https://example.com', retries: 2 } });
  });

  it("edits a code node's JavaScript in a code editor, starting from the schema's run() template", async () => {
    renderForm('code');
    const editor = await screen.findByRole('textbox', { name: 'JavaScript' }, { timeout: 5000 });
    expect(field('code').contains(editor)).toBe(true);
    expect(editor.textContent).toContain('async function run(');
  });

  it('reports a JSON value of the wrong type from the schema', () => {
    renderForm('transform', { output: [] });
    expect(field('output').closest('.mantine-InputWrapper-root')?.textContent).toContain('Must be object');
  });

  it('edits condition rules as rows: add, change, remove (never below the minimum)', () => {
    const onConfig = vi.fn<(config: Record<string, unknown>) => void>();
    renderForm('condition', undefined, onConfig);
    expect((screen.getByTestId('config-rules-remove-0') as HTMLButtonElement).disabled).toBe(true);
    // exists takes no value: the value field appears only for other operators.
    expect(screen.queryByTestId('config-rules-0-value')).toBeNull();
    fireEvent.click(screen.getByTestId('config-rules-add'));
    expect(screen.getByTestId('config-rules-row-1')).toBeTruthy();
    expect(screen.getByTestId('config-rules-row-1').textContent).toContain('Required');
    fireEvent.change(screen.getByTestId('config-rules-1-path'), { target: { value: 'input.amount' } });
    fireEvent.change(screen.getByTestId('config-rules-1-value'), { target: { value: '100' } });
    expect(onConfig).toHaveBeenLastCalledWith({
      combinator: 'all',
      rules: [
        { path: 'input.value', operator: 'exists' },
        { path: 'input.amount', operator: 'equals', value: 100 },
      ],
    });
    fireEvent.click(screen.getByTestId('config-rules-remove-0'));
    expect(onConfig).toHaveBeenLastCalledWith({ combinator: 'all', rules: [{ path: 'input.amount', operator: 'equals', value: 100 }] });
  });
});
