import { fireEvent, screen } from '@testing-library/react';
import { Client, fetchExchange } from 'urql';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import type { Model } from '../api/agents.api';
import { ModelPicker } from './model-picker';

const client = new Client({ url: 'http://localhost/graphql', exchanges: [fetchExchange] });

const model = (m: Partial<Model> & Pick<Model, 'id' | 'provider' | 'displayName'>): Model => ({
  contextWindow: 200_000,
  inputPricePerMTokUsd: 3,
  outputPricePerMTokUsd: 15,
  cachedInputPricePerMTokUsd: 0.3,
  tier: 'STRONG',
  available: true,
  pricesAsOf: '2026-11-01',
  ...m,
});

const MODELS: Model[] = [
  model({ id: 'claude-sonnet-4-5', provider: 'ANTHROPIC', displayName: 'Claude Sonnet 4.5' }),
  model({
    id: 'gpt-5-mini',
    provider: 'OPENAI',
    displayName: 'GPT-5 mini',
    contextWindow: 400_000,
    inputPricePerMTokUsd: 0.25,
    outputPricePerMTokUsd: 2,
    tier: 'FAST',
    available: false,
  }),
  model({ id: 'simulated', provider: 'SIMULATED', displayName: 'Simulated', contextWindow: 128_000, inputPricePerMTokUsd: 0, outputPricePerMTokUsd: 0 }),
];

function open(value: string, onChange = vi.fn<(value: string) => void>()) {
  renderWithProviders(<ModelPicker models={MODELS} value={value} onChange={onChange} />, { client });
  fireEvent.click(screen.getByTestId('model-picker'));
  return onChange;
}

describe('ModelPicker', () => {
  it('shows each model with provider, context window and prices per 1M tokens', () => {
    open('auto');
    const sonnet = screen.getByTestId('model-option-claude-sonnet-4-5');
    expect(sonnet.textContent).toContain('Claude Sonnet 4.5');
    expect(sonnet.textContent).toContain('Anthropic · 200K ctx · $3 / $15 per 1M in/out');
    expect(screen.getByTestId('model-option-gpt-5-mini').textContent).toContain('OpenAI · 400K ctx · $0.25 / $2 per 1M in/out');
    expect(screen.getByTestId('model-option-simulated').textContent).toContain('128K ctx · free');
  });

  it('offers auto routing first', () => {
    open('claude-sonnet-4-5');
    const options = screen.getAllByRole('option');
    expect(options[0]?.textContent).toContain('auto — route by prompt');
  });

  it('marks models without a configured key but keeps them selectable', () => {
    const onChange = open('auto');
    const mini = screen.getByTestId('model-option-gpt-5-mini');
    expect(mini.textContent).toContain('no key');
    expect(screen.getByTestId('model-option-claude-sonnet-4-5').textContent).not.toContain('no key');
    fireEvent.click(screen.getByRole('option', { name: /GPT-5 mini/ }));
    expect(onChange).toHaveBeenCalledWith('gpt-5-mini');
  });

  it('describes the selected model, including a missing key', () => {
    renderWithProviders(<ModelPicker models={MODELS} value="gpt-5-mini" onChange={vi.fn<(value: string) => void>()} />, { client });
    expect((screen.getByTestId('model-picker') as HTMLInputElement).value).toBe('GPT-5 mini');
    expect(screen.getByText(/OpenAI · 400K ctx .* prices as of 2026-11-01 · no key configured/)).toBeTruthy();
  });

  it('keeps a model the catalog does not list visible instead of showing an empty value', () => {
    renderWithProviders(<ModelPicker models={MODELS} value="claude-retired-1" onChange={vi.fn<(value: string) => void>()} />, { client });
    expect((screen.getByTestId('model-picker') as HTMLInputElement).value).toBe('claude-retired-1');
  });

  it('picks a model of the OpenAI-compatible server by name', () => {
    const onChange = open('auto');
    fireEvent.click(screen.getByRole('option', { name: /OpenAI-compatible server/ }));
    expect(onChange).toHaveBeenLastCalledWith('compat:');
  });

  it('edits the name of an OpenAI-compatible model', () => {
    const onChange = vi.fn<(value: string) => void>();
    renderWithProviders(<ModelPicker models={MODELS} value="compat:llama3.1" onChange={onChange} />, { client });
    expect((screen.getByTestId('model-picker') as HTMLInputElement).value).toBe('A model on your OpenAI-compatible server…');
    const name = screen.getByTestId('compat-model-name') as HTMLInputElement;
    expect(name.value).toBe('llama3.1');
    fireEvent.change(name, { target: { value: 'qwen3:8b' } });
    expect(onChange).toHaveBeenLastCalledWith('compat:qwen3:8b');
  });
});
