/**
 * The one provider interface every model adapter implements. Messages, tools and streamed events
 * are provider-neutral; each adapter translates them to and from its official SDK.
 */
export type ProviderId = 'anthropic' | 'openai' | 'gemini' | 'openai_compatible' | 'simulated';

/** A JSON Schema object, as sent to providers for tool parameters. */
export type JsonSchema = Record<string, unknown>;

export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  /**
   * Opaque data the provider wants back with this call in the next request (Gemini's
   * `thoughtSignature`). Kept with the call wherever the conversation goes (cache, other processes).
   */
  providerData?: Record<string, string>;
}

export type ChatMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string; isError?: boolean };

export interface ToolSpec { name: string; description: string; inputSchema: JsonSchema }

export interface ChatRequest {
  /** The provider's own model name (the catalog's `providerModel`). */
  model: string;
  system?: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  temperature?: number;
  maxOutputTokens: number;
  /** Aborts the call, mid-stream included; the timeout is folded into it by the caller. */
  signal?: AbortSignal;
}

/**
 * Token counts of one call. `inputTokens` counts every prompt token, cached ones included;
 * `cachedInputTokens` is the part read from the provider's prompt cache (billed cheaper).
 * (OpenAI and Gemini report it this way; Anthropic's adapter adds cache reads to input_tokens.)
 */
export interface Usage { inputTokens: number; outputTokens: number; cachedInputTokens: number }
export type StopReason = 'end' | 'tool_use' | 'max_tokens' | 'other';

export type StreamEvent =
  | { type: 'text'; delta: string }
  | { type: 'tool_call'; call: ToolCall }
  | { type: 'usage'; usage: Usage }
  | { type: 'stop'; reason: StopReason };

export interface ProviderCredentials { apiKey: string; baseUrl?: string }

export interface LlmProvider {
  readonly id: ProviderId;
  /**
   * Streams one model call. Every error thrown (before or during the stream) is a ProviderError.
   * A stream yields exactly one `usage` and one `stop` event, usage before stop.
   */
  stream(request: ChatRequest, credentials: ProviderCredentials): AsyncIterable<StreamEvent>;
}

export type ProviderErrorKind = 'rate_limit' | 'server' | 'timeout' | 'connection' | 'auth' | 'bad_request' | 'aborted';

/** A failed provider call, classified so failover knows whether the next model may help. */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly provider: ProviderId;
  readonly status: number | undefined;
  constructor(provider: ProviderId, kind: ProviderErrorKind, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ProviderError';
    this.provider = provider;
    this.kind = kind;
    this.status = options.status;
  }
  /** 429, 5xx, timeouts and connection failures: another model (or provider) may succeed. */
  get retryable(): boolean {
    return this.kind === 'rate_limit' || this.kind === 'server' || this.kind === 'timeout' || this.kind === 'connection';
  }
}
