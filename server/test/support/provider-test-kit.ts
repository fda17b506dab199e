/**
 * The test harness the provider adapters' unit tests share: the msw LLM mock's lifecycle, stream
 * collection, error capture, and `providerContract`, the behaviours every adapter must have
 * (streaming, error classification, abort, timeout, missing key). Each adapter's test file keeps
 * its own wire format (request bodies, tool calls, provider-specific errors):
 *
 *   const kit = providerTestKit({ provider: anthropicProvider, mock: 'anthropic', ... });
 *   describe('anthropicProvider', () => {
 *     providerContract(kit, { textRequest: { url: ..., headers: ..., body: ... }, ... });
 *     it('...wire-format specifics...', ...);
 *   });
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ProviderError, type ChatRequest, type LlmProvider, type ProviderCredentials, type StreamEvent } from '../../src/llm/types.ts';
import { llmMock, type LlmMock, type MockError, type MockProvider, type Script, type WireJson } from './llm-mocks.ts';

export interface ProviderCase {
  provider: LlmProvider;
  /** Which of the mock's scripts answers this adapter. */
  mock: MockProvider;
  /** How the adapter names the API in its error messages ("Anthropic returned 429: ..."). */
  label: string;
  apiKey: string;
  /** The request the tests send unless they say otherwise. */
  base: ChatRequest;
}

export interface ProviderTestKit {
  llm: LlmMock;
  /** The mock script this adapter's requests consume. */
  script: Script;
  apiKey: string;
  creds: ProviderCredentials;
  base: ChatRequest;
  label: string;
  provider: LlmProvider;
  /** Every event of one stream (the adapter's, with its key, unless told otherwise). */
  collect(request?: ChatRequest, provider?: LlmProvider, credentials?: ProviderCredentials): Promise<StreamEvent[]>;
  /** The ProviderError the stream fails with; checks it names this provider and not the key. */
  failure(request?: ChatRequest): Promise<ProviderError>;
}

/** The tool the adapters' tool-calling tests offer the model. */
export const searchTool = { name: 'search', description: 'Searches the web', inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } };

/** What a promise rejects with, or undefined when it resolves. */
export const rejection = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (e: unknown) => e);

/** Starts the LLM mock for the calling test file and binds the helpers to one adapter. */
export function providerTestKit(c: ProviderCase): ProviderTestKit {
  const llm = llmMock();
  beforeAll(() => llm.listen());
  afterEach(() => llm.reset());
  afterAll(() => llm.close());

  const creds: ProviderCredentials = { apiKey: c.apiKey };
  async function collect(request: ChatRequest = c.base, provider: LlmProvider = c.provider, credentials: ProviderCredentials = creds): Promise<StreamEvent[]> {
    const events: StreamEvent[] = [];
    for await (const event of provider.stream(request, credentials)) events.push(event);
    return events;
  }
  async function failure(request: ChatRequest = c.base): Promise<ProviderError> {
    const err = await rejection(collect(request));
    expect(err).toBeInstanceOf(ProviderError);
    const error = err as ProviderError;
    expect(error.provider).toBe(c.provider.id);
    expect(error.message).not.toContain(c.apiKey);
    return error;
  }
  return { llm, script: llm[c.mock], apiKey: c.apiKey, creds, base: c.base, label: c.label, provider: c.provider, collect, failure };
}

export interface ContractSpec {
  /** Cached prompt tokens the text reply reports (of 120 input tokens). */
  cachedTokens: number;
  /** The wire request the text test sends (`kit.base`, no tools). */
  textRequest: {
    url: string | RegExp;
    /** Lower-cased names; each must be sent with this value. */
    headers: Record<string, string>;
    /** The whole body, or with `partial` the part of it that must match (`toMatchObject`). */
    body: WireJson;
    partial?: boolean;
  };
  /** The message of the 429 the API sends. */
  rateLimitMessage: string;
  /** The 5xx this API sends besides 500. */
  serverError: MockError;
}

/** Registers, in the current describe, the tests of what every adapter must do. */
export function providerContract(kit: ProviderTestKit, spec: ContractSpec): void {
  const { llm, script, base, creds, provider, collect, failure } = kit;

  it('streams text in several deltas, then usage (cache reads included in input) and stop', async () => {
    script.reply({ text: 'Hello there, how are you?', usage: { input: 120, output: 7, cached: spec.cachedTokens } });
    const events = await collect();

    const deltas = events.filter((e) => e.type === 'text');
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.map((e) => e.delta).join('')).toBe('Hello there, how are you?');
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage: { inputTokens: 120, cachedInputTokens: spec.cachedTokens, outputTokens: 7 } },
      { type: 'stop', reason: 'end' },
    ]);
    expect(llm.requests).toHaveLength(1);
    const [sent] = llm.requests;
    const want = spec.textRequest;
    const url = typeof want.url === 'string' ? new RegExp(`^${want.url.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : want.url;
    expect(sent!.url).toMatch(url);
    for (const [name, value] of Object.entries(want.headers)) expect(sent!.headers[name]).toBe(value);
    const body = expect(sent!.body);
    if (want.partial) body.toMatchObject(want.body);
    else body.toEqual(want.body);
  });

  it('classifies 429 as retryable rate_limit with the provider message', async () => {
    script.reply({ status: 429, message: spec.rateLimitMessage });
    const err = await failure();
    expect(err).toMatchObject({ kind: 'rate_limit', status: 429, retryable: true });
    expect(err.message).toBe(`${kit.label} returned 429: ${spec.rateLimitMessage}`);
    expect(llm.requests).toHaveLength(1); // the SDK did not retry
  });

  it(`classifies 500 and ${spec.serverError.status} as server`, async () => {
    script.reply({ status: 500 }).reply(spec.serverError);
    expect(await failure()).toMatchObject({ kind: 'server', status: 500, retryable: true });
    expect(await failure()).toMatchObject({ kind: 'server', status: spec.serverError.status, retryable: true });
  });

  it('aborts promptly mid-stream', async () => {
    script.reply({ hang: true, text: 'Thinking hard' });
    const controller = new AbortController();
    const started = Date.now();
    const seen: StreamEvent[] = [];
    const err = await rejection((async () => {
      for await (const event of provider.stream({ ...base, signal: controller.signal }, creds)) {
        seen.push(event);
        controller.abort();
      }
    })());
    expect(seen).toEqual([{ type: 'text', delta: 'Thinking ' }]);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: 'aborted', retryable: false });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(llm.requests).toHaveLength(1); // no automatic continuation re-sent it
  });

  it('stops the HTTP request when the consumer stops reading', async () => {
    script.reply({ hang: true });
    const started = Date.now();
    const seen: StreamEvent[] = [];
    for await (const event of provider.stream(base, creds)) {
      seen.push(event);
      break; // must not wait for the (never ending) rest of the stream
    }
    expect(seen).toEqual([{ type: 'text', delta: 'Let ' }]);
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(llm.requests[0]!.aborted).toBe(true);
  });

  it('reports a fired timeout signal as timeout', async () => {
    script.reply({ hang: true });
    expect(await failure({ ...base, signal: AbortSignal.timeout(200) })).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('reports a missing key as auth without calling the API', async () => {
    const err = await provider.stream(base, { apiKey: '' })[Symbol.asyncIterator]().next().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'auth' });
    expect(llm.requests).toHaveLength(0);
  });
}
