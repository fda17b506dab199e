/**
 * The "listen, replay, follow" pattern for event streams kept in a table: start listening before
 * reading the table, so nothing published in between is lost; then drop live events already
 * replayed (by sequence number). A client that (re)subscribes misses nothing and sees nothing twice.
 */
export async function* replayThenFollow<N extends { seq: number }, T extends { seq: number }>(opts: {
  /** The live notices; a pub/sub Repeater, so `return()` ends a pending `next()`. */
  live: AsyncIterator<N>;
  replay: () => Promise<T[]>;
  /** Turns a live notice into the event (e.g. reads a large one from the table). */
  materialize: (notice: N) => Promise<T> | T;
  /** The stream ends after an event for which this is true. */
  isLast: (event: T) => boolean;
}): AsyncGenerator<T> {
  const { live } = opts;
  // Repeaters start listening on the first next(): ask for the first live event before replaying.
  let pending: Promise<IteratorResult<N>> | undefined = live.next();
  let lastSeq = -1;
  try {
    for (const event of await opts.replay()) {
      lastSeq = event.seq;
      yield event;
      if (opts.isLast(event)) return;
    }
    while (true) {
      const result: IteratorResult<N> = await (pending ?? live.next());
      pending = undefined;
      if (result.done) return;
      if (result.value.seq <= lastSeq) continue;
      const event = await opts.materialize(result.value);
      lastSeq = event.seq;
      yield event;
      if (opts.isLast(event)) return;
    }
  } finally {
    await live.return?.();
  }
}
