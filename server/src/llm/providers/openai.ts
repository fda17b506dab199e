import type { OpenAI } from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { ChatMessage, ChatRequest, LlmProvider, ProviderCredentials, StopReason, StreamEvent, ToolCall, ToolSpec, Usage } from '../types.ts';
import { ProviderError } from '../types.ts';
import { callAbort } from './abort-on-exit.ts';
import { abortedError, toProviderError } from './errors.ts';

/**
 * OpenAI Chat Completions over the `openai` SDK, shared by OpenAI itself and by OpenAI-compatible
 * servers (Ollama, vLLM, LM Studio), which speak the same protocol at their own base URL.
 */

type Flavor = 'openai' | 'openai_compatible';

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
const MAX_CLIENTS = 100;
const clients = new Map<string, OpenAI>();
/** Loaded on first use: the SDK costs ~25 MB of RSS that processes never calling OpenAI skip. */
let sdk: Promise<typeof import('openai')> | undefined;

/** One client per endpoint and key: building one per call would redo its setup each time. */
async function clientFor(flavor: Flavor, { apiKey, baseUrl }: ProviderCredentials): Promise<OpenAI> {
  const key = `${flavor}\n${baseUrl ?? ''}\n${apiKey}`;
  let client = clients.get(key);
  if (!client) {
    const loaded = await (sdk ??= import('openai'));
    if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value!);
    client = new loaded.OpenAI({
      // Local servers ignore the key, but the SDK insists on one.
      apiKey: apiKey || 'not-needed',
      baseURL: baseUrl ?? DEFAULT_BASE_URL,
      // Explicit nulls: otherwise the SDK picks OPENAI_ORG_ID / OPENAI_PROJECT_ID up from the
      // server's environment and sends them along with an organization's own key.
      organization: null,
      project: null,
      maxRetries: 0, // failover to another model is ours
    });
    clients.set(key, client);
  }
  return client;
}

export function toOpenAiMessages(system: string | undefined, messages: ChatMessage[]): ChatCompletionMessageParam[] {
  // 'system' rather than 'developer': OpenAI maps it for reasoning models, and compatible
  // servers often know only 'system'.
  const out: ChatCompletionMessageParam[] = system ? [{ role: 'system', content: system }] : [];
  for (const m of messages) {
    if (m.role === 'user') {
      out.push({ role: 'user', content: m.content });
    } else if (m.role === 'tool') {
      // No error flag in this API: the content has to say so itself.
      out.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.isError ? `Error: ${m.content}` : m.content });
    } else if (m.toolCalls?.length) {
      out.push({
        role: 'assistant',
        content: m.content || null,
        tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } })),
      });
    } else {
      out.push({ role: 'assistant', content: m.content });
    }
  }
  return out;
}

const toOpenAiTool = (t: ToolSpec): ChatCompletionTool => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.inputSchema } });

function stopReason(reason: ChatCompletionChunk.Choice['finish_reason']): StopReason {
  if (reason === 'stop') return 'end';
  if (reason === 'tool_calls' || reason === 'function_call') return 'tool_use';
  if (reason === 'length') return 'max_tokens';
  return 'other';
}

function makeProvider(flavor: Flavor): LlmProvider {
  async function* stream(request: ChatRequest, credentials: ProviderCredentials): AsyncGenerator<StreamEvent> {
    const { signal } = request;
    if (flavor === 'openai' && !credentials.apiKey) throw new ProviderError(flavor, 'auth', 'No OpenAI API key is configured');
    if (flavor === 'openai_compatible' && !credentials.baseUrl) {
      throw new ProviderError(flavor, 'bad_request', 'The OpenAI-compatible provider needs a base URL (e.g. http://localhost:11434/v1)');
    }
    const fail = (err: unknown) => toProviderError(flavor, err, signal, credentials.apiKey);
    const abort = callAbort(signal);

    const params: ChatCompletionCreateParamsStreaming = {
      model: request.model,
      messages: toOpenAiMessages(request.system, request.messages),
      ...(request.tools?.length ? { tools: request.tools.map(toOpenAiTool) } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      // OpenAI's reasoning models reject `max_tokens`; many compatible servers know only it.
      ...(flavor === 'openai' ? { max_completion_tokens: request.maxOutputTokens } : { max_tokens: request.maxOutputTokens }),
      stream: true,
      // Without it a stream carries no token counts at all.
      stream_options: { include_usage: true },
    };
    let chunks: AsyncIterable<ChatCompletionChunk>;
    try {
      const client = await clientFor(flavor, credentials);
      chunks = await client.chat.completions.create(params, { signal: abort.signal });
    } catch (err) {
      throw fail(err);
    }

    // Tool calls arrive as deltas keyed by `index`: id and name first, then argument fragments.
    const calls = new Map<number, { id: string; name: string; args: string }>();
    let finish: ChatCompletionChunk.Choice['finish_reason'] | undefined;
    let usage: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
    try {
      // If our consumer stops reading, iterate() ends the HTTP request.
      for await (const chunk of abort.iterate(chunks)) {
        if (chunk.usage) {
          usage = {
            inputTokens: chunk.usage.prompt_tokens,
            outputTokens: chunk.usage.completion_tokens,
            cachedInputTokens: chunk.usage.prompt_tokens_details?.cached_tokens ?? 0,
          };
        }
        const choice = chunk.choices[0];
        if (!choice) continue; // the usage-only chunk at the end
        const { content, tool_calls: toolDeltas } = choice.delta;
        if (content) yield { type: 'text', delta: content };
        for (const d of toolDeltas ?? []) {
          let entry = calls.get(d.index);
          if (!entry) calls.set(d.index, (entry = { id: '', name: '', args: '' }));
          // Some compatible servers repeat id and name on every fragment: take them once.
          if (d.id && !entry.id) entry.id = d.id;
          if (d.function?.name && !entry.name) entry.name = d.function.name;
          if (d.function?.arguments) entry.args += d.function.arguments;
        }
        if (choice.finish_reason) {
          finish = choice.finish_reason;
          for (const call of assembleCalls(flavor, calls)) yield { type: 'tool_call', call };
          calls.clear();
        }
      }
    } catch (err) {
      throw fail(err);
    }
    // The SDK ends the iteration quietly when the request is aborted: that is not a finished answer.
    if (signal?.aborted) throw abortedError(flavor, signal);
    if (finish === undefined) throw new ProviderError(flavor, 'connection', `${flavor === 'openai' ? 'OpenAI' : 'The OpenAI-compatible endpoint'} stream ended before the answer was complete`);

    yield { type: 'usage', usage };
    yield { type: 'stop', reason: stopReason(finish) };
  }
  return { id: flavor, stream };
}

function assembleCalls(flavor: Flavor, calls: Map<number, { id: string; name: string; args: string }>): ToolCall[] {
  return [...calls.entries()].sort(([a], [b]) => a - b).map(([index, c]) => ({
    // Local servers sometimes leave ids out; the conversation still needs one per call.
    id: c.id || `call_${index}_${c.name}`,
    name: c.name,
    arguments: parseArguments(flavor, c.args),
  }));
}

function parseArguments(flavor: Flavor, json: string): Record<string, unknown> {
  if (!json.trim()) return {};
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new ProviderError(flavor, 'bad_request', 'The model returned invalid tool arguments (not a JSON object)');
}

export const openaiProvider: LlmProvider = makeProvider('openai');
export const openaiCompatibleProvider: LlmProvider = makeProvider('openai_compatible');
