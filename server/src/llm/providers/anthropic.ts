import type { Anthropic } from '@anthropic-ai/sdk';
import type { ContentBlockParam, MessageParam, RawMessageStreamEvent, Tool } from '@anthropic-ai/sdk/resources/messages';
import type { ChatMessage, ChatRequest, LlmProvider, ProviderCredentials, StopReason, StreamEvent, ToolSpec } from '../types.ts';
import { ProviderError } from '../types.ts';
import { callAbort } from './abort-on-exit.ts';
import { abortedError, toProviderError } from './errors.ts';

/** Anthropic Messages API over @anthropic-ai/sdk's raw event stream. */

const DEFAULT_BASE_URL = 'https://api.anthropic.com';
const MAX_CLIENTS = 100;
const clients = new Map<string, Anthropic>();
/** Loaded on first use: the SDK costs ~25 MB of RSS that processes never calling Anthropic skip. */
let sdk: Promise<typeof import('@anthropic-ai/sdk')> | undefined;

/** One client per key and base URL: building one per call would redo its setup each time. */
async function clientFor({ apiKey, baseUrl }: ProviderCredentials): Promise<Anthropic> {
  const key = `${baseUrl ?? ''}\n${apiKey}`;
  let client = clients.get(key);
  if (!client) {
    const loaded = await (sdk ??= import('@anthropic-ai/sdk'));
    if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value!);
    // maxRetries 0: failover to another model is ours. An explicit baseURL keeps the SDK from
    // reading ANTHROPIC_BASE_URL from the server's environment.
    client = new loaded.Anthropic({ apiKey, baseURL: baseUrl ?? DEFAULT_BASE_URL, maxRetries: 0 });
    clients.set(key, client);
  }
  return client;
}

export function toAnthropicMessages(messages: ChatMessage[]): MessageParam[] {
  const out: MessageParam[] = [];
  /** Appends blocks to a user turn, merging into the previous one: tool results of one step
   *  (and any user text after them) must travel in a single user message. */
  const pushUser = (blocks: ContentBlockParam[]) => {
    const last = out.at(-1);
    if (last?.role === 'user' && Array.isArray(last.content)) last.content.push(...blocks);
    else out.push({ role: 'user', content: blocks });
  };
  for (const m of messages) {
    if (m.role === 'user') {
      pushUser([{ type: 'text', text: m.content }]);
    } else if (m.role === 'tool') {
      pushUser([{ type: 'tool_result', tool_use_id: m.toolCallId, content: m.content, ...(m.isError ? { is_error: true } : {}) }]);
    } else {
      // The API rejects empty text blocks, which an assistant turn that only calls tools has.
      const blocks: ContentBlockParam[] = m.content ? [{ type: 'text', text: m.content }] : [];
      for (const call of m.toolCalls ?? []) blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments });
      out.push({ role: 'assistant', content: blocks });
    }
  }
  return out;
}

const toAnthropicTool = (t: ToolSpec): Tool => ({ name: t.name, description: t.description, input_schema: t.inputSchema as Tool.InputSchema });

function stopReason(reason: string | null): StopReason {
  if (reason === 'end_turn' || reason === 'stop_sequence') return 'end';
  if (reason === 'tool_use') return 'tool_use';
  if (reason === 'max_tokens') return 'max_tokens';
  return 'other';
}

async function* stream(request: ChatRequest, credentials: ProviderCredentials): AsyncGenerator<StreamEvent> {
  const { signal } = request;
  if (!credentials.apiKey) throw new ProviderError('anthropic', 'auth', 'No Anthropic API key is configured');
  const fail = (err: unknown) => toProviderError('anthropic', err, signal, credentials.apiKey);
  const abort = callAbort(signal);

  let events: AsyncIterable<RawMessageStreamEvent>;
  try {
    const client = await clientFor(credentials);
    events = await client.messages.create({
      model: request.model,
      max_tokens: request.maxOutputTokens,
      messages: toAnthropicMessages(request.messages),
      ...(request.system ? { system: request.system } : {}),
      ...(request.tools?.length ? { tools: request.tools.map(toAnthropicTool) } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      stream: true,
    }, { signal: abort.signal });
  } catch (err) {
    throw fail(err);
  }

  // tool_use blocks by content-block index; their input arrives as JSON text fragments.
  const toolBlocks = new Map<number, { id: string; name: string; json: string }>();
  let input = 0, cacheRead = 0, cacheWrite = 0, output = 0;
  let reason: string | null | undefined;
  try {
    // If our consumer stops reading, iterate() ends the HTTP request.
    for await (const event of abort.iterate(events)) {
      switch (event.type) {
        case 'message_start': {
          const u = event.message.usage;
          input = u.input_tokens;
          cacheRead = u.cache_read_input_tokens ?? 0;
          cacheWrite = u.cache_creation_input_tokens ?? 0;
          output = u.output_tokens;
          break;
        }
        case 'content_block_start':
          if (event.content_block.type === 'tool_use') {
            toolBlocks.set(event.index, { id: event.content_block.id, name: event.content_block.name, json: '' });
          }
          break;
        case 'content_block_delta':
          if (event.delta.type === 'text_delta') {
            if (event.delta.text) yield { type: 'text', delta: event.delta.text };
          } else if (event.delta.type === 'input_json_delta') {
            const block = toolBlocks.get(event.index);
            if (block) block.json += event.delta.partial_json;
          }
          break;
        case 'content_block_stop': {
          const block = toolBlocks.get(event.index);
          if (block) {
            toolBlocks.delete(event.index);
            yield { type: 'tool_call', call: { id: block.id, name: block.name, arguments: parseToolInput(block.json) } };
          }
          break;
        }
        case 'message_delta': {
          // Counts here are cumulative; the input ones are null unless they changed.
          const u = event.usage;
          output = u.output_tokens;
          if (u.input_tokens != null) input = u.input_tokens;
          if (u.cache_read_input_tokens != null) cacheRead = u.cache_read_input_tokens;
          if (u.cache_creation_input_tokens != null) cacheWrite = u.cache_creation_input_tokens;
          reason = event.delta.stop_reason;
          break;
        }
        default:
          break;
      }
    }
  } catch (err) {
    throw fail(err);
  }
  // The SDK ends the iteration quietly when the request is aborted: that is not a finished answer.
  if (signal?.aborted) throw abortedError('anthropic', signal);
  if (reason === undefined) throw new ProviderError('anthropic', 'connection', 'Anthropic stream ended before the answer was complete');

  yield { type: 'usage', usage: { inputTokens: input + cacheRead + cacheWrite, cachedInputTokens: cacheRead, outputTokens: output } };
  yield { type: 'stop', reason: stopReason(reason) };
}

function parseToolInput(json: string): Record<string, unknown> {
  if (!json.trim()) return {};
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new ProviderError('anthropic', 'bad_request', 'Anthropic model returned invalid tool arguments');
}

export const anthropicProvider: LlmProvider = { id: 'anthropic', stream };
