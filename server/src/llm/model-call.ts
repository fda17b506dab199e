import type { CatalogModel } from './catalog.ts';
import type { ChatRequest, LlmProvider, ProviderCredentials, ProviderId, StopReason, ToolCall, Usage } from './types.ts';
import { ProviderError } from './types.ts';
import { AppError } from '../lib/errors.ts';

export interface ModelAnswer { text: string; toolCalls: ToolCall[]; usage: Usage; stopReason: StopReason }

export interface Attempt {
  model: CatalogModel;
  /** 1 for the first model of the chain, 2 for the first fallback, ... */
  attempt: number;
  latencyMs: number;
  answer?: ModelAnswer;
  error?: ProviderError;
}

export interface CallOptions {
  /** The agent's model first, then its fallbacks in order. */
  chain: CatalogModel[];
  request: Omit<ChatRequest, 'model' | 'signal'>;
  providerFor(id: ProviderId): LlmProvider;
  credentialsFor(model: CatalogModel): Promise<ProviderCredentials>;
  signal: AbortSignal;
  timeoutMs: number;
  /** Receives streamed text; returns true once any of it has reached the consumer. */
  onText(delta: string): boolean;
  /** Drops text received from an attempt that failed before any of it reached the consumer. */
  discardText(): void;
  /** Called once per attempt, failed ones included, before the next attempt starts. */
  onAttempt(attempt: Attempt): Promise<void>;
}

/** One streamed call, bounded by the run's signal and its own timeout. */
async function streamOnce(provider: LlmProvider, model: CatalogModel, opts: CallOptions, credentials: ProviderCredentials, onText: (d: string) => unknown): Promise<ModelAnswer> {
  const signal = AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]);
  let text = '';
  const toolCalls: ToolCall[] = [];
  let usage: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
  let stopReason: StopReason = 'other';
  try {
    const request = { ...opts.request, model: model.providerModel, signal, temperature: model.acceptsTemperature ? opts.request.temperature : undefined };
    for await (const event of provider.stream(request, credentials)) {
      if (event.type === 'text') { text += event.delta; onText(event.delta); }
      else if (event.type === 'tool_call') toolCalls.push(event.call);
      else if (event.type === 'usage') usage = event.usage;
      else stopReason = event.reason;
    }
  } catch (err) {
    if (err instanceof ProviderError) throw err;
    // An adapter bug or an abort outside the SDK: classify by the signal, never lose the cause.
    const kind = opts.signal.aborted ? 'aborted' : signal.aborted ? 'timeout' : 'server';
    throw new ProviderError(provider.id, kind, (err as Error).message, { cause: err });
  }
  return { text, toolCalls, usage, stopReason };
}

/**
 * Calls the chain's models in order until one answers. A 429, 5xx, timeout or connection error
 * moves on to the next model (across providers), but only while nothing of the answer has reached
 * the consumer: text already shown cannot be taken back, so a failure after that is final.
 */
export async function callWithFailover(opts: CallOptions): Promise<{ model: CatalogModel; answer: ModelAnswer }> {
  let streamed = false;
  const failures: { model: CatalogModel; error: ProviderError }[] = [];
  for (const [index, model] of opts.chain.entries()) {
    const attempt = index + 1;
    let credentials: ProviderCredentials;
    try {
      credentials = await opts.credentialsFor(model);
    } catch (err) {
      // A missing key for the agent's own model is the builder's to fix, so it ends the call
      // with its clear message; a fallback without a key is skipped (and recorded).
      if (index === 0 || !(err instanceof AppError)) throw err;
      const error = new ProviderError(model.provider, 'auth', err.message);
      await opts.onAttempt({ model, attempt, latencyMs: 0, error });
      failures.push({ model, error });
      continue;
    }
    const started = performance.now();
    let answer: ModelAnswer;
    try {
      answer = await streamOnce(opts.providerFor(model.provider), model, opts, credentials, (d) => { if (opts.onText(d)) streamed = true; });
    } catch (err) {
      const error = err as ProviderError;
      await opts.onAttempt({ model, attempt, latencyMs: Math.round(performance.now() - started), error });
      failures.push({ model, error });
      if (!error.retryable || streamed || opts.signal.aborted) throw error;
      opts.discardText();
      continue;
    }
    // Outside the try: a failure to record a good answer is not a failed attempt.
    await opts.onAttempt({ model, attempt, latencyMs: Math.round(performance.now() - started), answer });
    return { model, answer };
  }
  const last = failures.at(-1)!.error;
  if (failures.length === 1) throw last;
  throw new ProviderError(last.provider, last.kind, `Every model failed: ${failures.map((f) => `${f.model.id}: ${f.error.message}`).join('; ')}`, { status: last.status });
}
