/**
 * What our provider adapters cost on top of the SDKs they wrap: N sequential streamed calls to a
 * local server that speaks the provider's SSE format over a real socket (no msw), once through
 * the SDK directly and once through the adapter. Runs alone with `npx tsx bench/llm-overhead.ts`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { anthropicProvider } from '../src/llm/providers/anthropic.ts';
import { openaiProvider } from '../src/llm/providers/openai.ts';
import type { ChatRequest, LlmProvider } from '../src/llm/types.ts';

const CALLS = Number(process.env.BENCH_LLM_CALLS ?? 300);
const WARMUP = 30;
const CHUNKS = 20;
const BATCH = 25;

export interface Overhead { sdkMs: number; adapterMs: number; ratio: number }

/** The answer: CHUNKS text deltas, usage, end; the same bytes for every call. */
function openaiBody(): string {
  const head = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 0, model: 'bench', system_fingerprint: 'fp', usage: null };
  const frame = (delta: object, finish: string | null = null) => `data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
  const frames = [frame({ role: 'assistant', content: '' })];
  for (let i = 0; i < CHUNKS; i++) frames.push(frame({ content: `word${i} ` }));
  frames.push(frame({}, 'stop'));
  frames.push(`data: ${JSON.stringify({ ...head, choices: [], usage: { prompt_tokens: 50, completion_tokens: CHUNKS, total_tokens: 50 + CHUNKS } })}\n\n`, 'data: [DONE]\n\n');
  return frames.join('');
}

function anthropicBody(): string {
  const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const usage = { input_tokens: 50, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 };
  const frames = [
    event('message_start', { message: { id: 'msg_bench', type: 'message', role: 'assistant', model: 'bench', content: [], stop_reason: null, stop_sequence: null, usage } }),
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  ];
  for (let i = 0; i < CHUNKS; i++) frames.push(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: `word${i} ` } }));
  frames.push(
    event('content_block_stop', { index: 0 }),
    event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: CHUNKS } }),
    event('message_stop', {}),
  );
  return frames.join('');
}

async function startServer(): Promise<{ url: string; close(): Promise<void> }> {
  const bodies = { openai: openaiBody(), anthropic: anthropicBody() };
  const server = http.createServer((req, res) => {
    req.resume(); // drain the request body
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(req.url?.endsWith('/chat/completions') ? bodies.openai : bodies.anthropic);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const request: ChatRequest = { model: 'bench', system: 'Be brief.', messages: [{ role: 'user', content: 'Say twenty words.' }], maxOutputTokens: 256 };

async function viaAdapter(provider: LlmProvider, baseUrl: string): Promise<void> {
  let text = 0;
  for await (const event of provider.stream(request, { apiKey: 'sk-bench', baseUrl })) if (event.type === 'text') text++;
  if (text !== CHUNKS) throw new Error(`expected ${CHUNKS} deltas, got ${text}`);
}

/**
 * Mean ms per call of `sdk` and `adapter`. They alternate in batches, so drift on this noisy
 * 2-core machine (other processes, GC, CPU clock) hits both sides alike.
 */
async function compare(sdk: () => Promise<void>, adapter: () => Promise<void>): Promise<Overhead> {
  for (let i = 0; i < WARMUP; i++) {
    await sdk();
    await adapter();
  }
  let sdkTotal = 0, adapterTotal = 0;
  const sides = [[sdk, (ms: number) => (sdkTotal += ms)], [adapter, (ms: number) => (adapterTotal += ms)]] as const;
  for (let done = 0, round = 0; done < CALLS; done += BATCH, round++) {
    const n = Math.min(BATCH, CALLS - done);
    // Swap which side goes first each round: the second of a pair runs on a warmer connection.
    for (const [fn, add] of round % 2 ? sides.toReversed() : sides) {
      const start = performance.now();
      for (let i = 0; i < n; i++) await fn();
      add(performance.now() - start);
    }
  }
  const sdkMs = sdkTotal / CALLS, adapterMs = adapterTotal / CALLS;
  return { sdkMs, adapterMs, ratio: adapterMs / sdkMs };
}

export async function benchLlmOverhead(): Promise<Overhead & { calls: number; anthropic: Overhead }> {
  const server = await startServer();
  try {
    const openaiBase = `${server.url}/v1`;
    const openai = new OpenAI({ apiKey: 'sk-bench', baseURL: openaiBase, organization: null, project: null, maxRetries: 0 });
    const openaiResult = await compare(async () => {
      const stream = await openai.chat.completions.create({
        model: 'bench', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say twenty words.' }],
        max_completion_tokens: 256, stream: true, stream_options: { include_usage: true },
      });
      let text = 0;
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content) text++;
      if (text !== CHUNKS) throw new Error(`expected ${CHUNKS} deltas, got ${text}`);
    }, () => viaAdapter(openaiProvider, openaiBase));

    const anthropic = new Anthropic({ apiKey: 'sk-bench', baseURL: server.url, maxRetries: 0 });
    const anthropicResult = await compare(async () => {
      const stream = await anthropic.messages.create({
        model: 'bench', system: 'Be brief.', messages: [{ role: 'user', content: [{ type: 'text', text: 'Say twenty words.' }] }], max_tokens: 256, stream: true,
      });
      let text = 0;
      for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text++;
      if (text !== CHUNKS) throw new Error(`expected ${CHUNKS} deltas, got ${text}`);
    }, () => viaAdapter(anthropicProvider, server.url));

    return { ...openaiResult, calls: CALLS, anthropic: anthropicResult };
  } finally {
    await server.close();
  }
}

export function formatLlmOverhead(r: Awaited<ReturnType<typeof benchLlmOverhead>>): string {
  const line = (name: string, o: Overhead) =>
    `  ${name.padEnd(70)} SDK ${o.sdkMs.toFixed(3)} ms/call  adapter ${o.adapterMs.toFixed(3)} ms/call  ratio ${o.ratio.toFixed(2)}x`;
  return [
    `\nLLM adapter overhead, ${r.calls} sequential streamed calls (${CHUNKS} text chunks each) to a local server`,
    line('OpenAI chat completions (openai SDK vs openaiProvider)', r),
    line('Anthropic messages (@anthropic-ai/sdk vs anthropicProvider)', r.anthropic),
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${formatLlmOverhead(await benchLlmOverhead())}\n`);
}
