import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Client, cacheExchange, fetchExchange } from 'urql';
import { describe, expect, it } from 'vitest';
import { graphqlFetch, renderWithProviders } from '../../../test/render';
import { CustomToolBuilder } from './custom-tool-builder';
import { STARTER_CODE } from './tool-draft';

function renderBuilder(responders: Parameters<typeof graphqlFetch>[0] = {}) {
  const api = graphqlFetch(responders);
  const client = new Client({ url: 'http://localhost/graphql', exchanges: [cacheExchange, fetchExchange], fetch: api.fetch, preferGetMethod: false });
  renderWithProviders(<CustomToolBuilder />, { client });
  return api;
}

const field = (testId: string) => screen.getByTestId(testId) as HTMLTextAreaElement;
const type = (testId: string, value: string) => fireEvent.change(field(testId), { target: { value } });

describe('CustomToolBuilder', () => {
  it('checks the input schema as it is typed and clears the error once it is fixed', () => {
    renderBuilder();
    expect(field('custom-tool-schema').getAttribute('data-json-valid')).toBe('true');

    type('custom-tool-schema', '{ "type": "object", "properties": { ');
    expect(field('custom-tool-schema').getAttribute('data-json-valid')).toBe('false');
    expect(screen.getByText(/^Not valid JSON:/)).toBeTruthy();

    type('custom-tool-schema', '{ "type": "string" }');
    expect(screen.getByText(/must describe an object/)).toBeTruthy();

    type('custom-tool-schema', '{ "type": "object", "properties": { "city": { "type": "string" } }, "required": ["city"] }');
    expect(field('custom-tool-schema').getAttribute('data-json-valid')).toBe('true');
    expect(screen.queryByText(/must describe an object/)).toBeNull();
    // The starter sample has no city: the sample input now says so.
    expect(field('custom-tool-sample').getAttribute('data-json-valid')).toBe('false');
    expect(screen.getByText('Missing required argument: city')).toBeTruthy();
  });

  it('sends nothing while the draft has problems, and names them', () => {
    const api = renderBuilder();
    fireEvent.click(screen.getByTestId('custom-tool-test'));
    expect(api.requests).toHaveLength(0);
    expect(screen.getByText('Give the tool a name')).toBeTruthy();
    expect(screen.getByText(/Say what the tool does/)).toBeTruthy();
  });

  it('tests the draft in the sandbox and shows the error with its code, the log and the duration', async () => {
    const api = renderBuilder({
      TestCustomTool: () => ({
        data: {
          testCustomTool: {
            ok: false,
            output: null,
            error: 'fetch to 127.0.0.1 is not allowed: api.weather.test is the only allowed host',
            errorCode: 'FETCH_BLOCKED',
            logs: [{ level: 'info', message: 'looking up', data: { city: 'Paris' }, at: '2026-11-24T10:00:00Z' }],
            durationMs: 12.4,
          },
        },
      }),
    });
    type('custom-tool-name', 'weather');
    type('custom-tool-description', 'Current weather for a city');
    // Mantine ignores changes to a combobox input that does not have the focus (autofill): focus it like a person would.
    const hosts = screen.getByTestId('custom-tool-hosts');
    hosts.focus();
    fireEvent.change(hosts, { target: { value: 'api.weather.test' } });
    fireEvent.keyDown(hosts, { key: 'Enter' });
    fireEvent.click(screen.getByTestId('custom-tool-test'));

    const result = await screen.findByTestId('tool-test-result');
    expect(result.getAttribute('data-ok')).toBe('false');
    expect(within(result).getByTestId('tool-test-error').getAttribute('data-code')).toBe('FETCH_BLOCKED');
    expect(within(result).getByTestId('tool-test-error').textContent).toContain('is not allowed');
    expect(within(result).getByTestId('tool-test-log').textContent).toContain('looking up');
    expect(within(result).getByTestId('tool-test-duration').textContent).toBe('12 ms');

    const sent = api.requests[0]?.variables.input as Record<string, unknown>;
    expect(sent).toMatchObject({ name: 'weather', description: 'Current weather for a city', code: STARTER_CODE, network: ['api.weather.test'], input: { name: 'Ada' } });
    expect(sent.inputSchema).toMatchObject({ type: 'object', required: ['name'] });
  });

  it('saves the tool and gives the id agents use', async () => {
    const api = renderBuilder({
      SaveCustomTool: () => ({
        data: {
          saveCustomTool: {
            id: 'PluginListing:4',
            name: 'custom-greet',
            title: 'greet',
            description: 'Greets',
            latestVersion: {
              id: 'PluginVersion:4',
              version: '1.0.0',
              createdAt: '2026-11-24T10:00:00Z',
              customToolCode: 'async function run() { return {}; }',
              permissions: { network: [] },
              tools: [{ id: 'custom-greet.greet', name: 'custom-greet.greet', description: 'Greets', inputSchema: { type: 'object' } }],
            },
          },
        },
      }),
    });
    type('custom-tool-name', 'greet');
    type('custom-tool-description', 'Greets');
    fireEvent.click(screen.getByTestId('custom-tool-save'));
    expect((await screen.findByTestId('custom-tool-id')).textContent).toBe('custom-greet.greet');
    await waitFor(() => expect(api.requests.map((r) => r.operationName)).toEqual(['SaveCustomTool']));
    expect(api.requests[0]?.variables.input).not.toHaveProperty('input');
  });
});
