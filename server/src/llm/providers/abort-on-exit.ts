/**
 * Ends the HTTP request when whoever reads a provider stream stops early (a `break`, a guardrail
 * that has seen enough), so the provider stops generating (and billing) tokens nobody reads.
 *
 * The SDKs do not all manage this: @google/genai never cancels the request of an abandoned
 * stream, and @anthropic-ai/sdk aborts only after its cleanup has waited for the response body
 * to be cancelled, which can wait for the next chunk of a stalled stream. So each call runs
 * under a controller of ours, aborted first, before the SDK cleans up.
 */
export interface CallAbort {
  /** Pass this to the SDK: it fires on the caller's abort and on an early exit. */
  signal: AbortSignal;
  /** Iterates an SDK stream, aborting the call first if iteration ends before the stream did. */
  iterate<T>(source: AsyncIterable<T>): AsyncGenerator<T>;
}

export function callAbort(callerSignal?: AbortSignal): CallAbort {
  const own = new AbortController();
  return {
    signal: callerSignal ? AbortSignal.any([callerSignal, own.signal]) : own.signal,
    async *iterate<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
      const it = source[Symbol.asyncIterator]();
      let finished = false;
      try {
        for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
        finished = true;
      } finally {
        if (!finished) {
          own.abort();
          // The reader has gone: errors from tearing the request down concern nobody.
          await it.return?.().catch(() => undefined);
        }
      }
    },
  };
}
