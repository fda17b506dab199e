import { Repeater } from 'graphql-yoga';

/**
 * The "listen, replay, follow" pattern for event streams kept in a table: start listening before
 * reading the table, so nothing published in between is lost; then drop live events already
 * replayed (by sequence number). A client that (re)subscribes misses nothing and sees nothing twice.
 *
 * A Repeater, not an async generator: when the client goes away, `return()` must reach the live
 * listener at once, and a generator waiting on the next live event would only see it after that
 * event arrived (for a quiet topic, never).
 */
export function replayThenFollow<N, T>(opts: {
  /** The live notices; a pub/sub Repeater, so `return()` ends a pending `next()`. */
  live: AsyncIterator<N>;
  replay: () => Promise<T[]>;
  /** Turns a live notice into the event (e.g. reads a large one from the table). */
  materialize: (notice: N) => Promise<T> | T;
  /** The stream ends after an event for which this is true. */
  isLast: (event: T) => boolean;
  /** Sequence numbers of notices and events: rising, shared by both. */
  noticeSeq: (notice: N) => number;
  eventSeq: (event: T) => number;
  /** Asked after the replay: true when the stream is already over (its last event was before the replay). */
  endedBefore?: () => Promise<boolean>;
}): Repeater<T> {
  return new Repeater<T>(async (push, stop) => {
    const { live } = opts;
    let stopped = false;
    const ended = stop.then(() => { stopped = true; });
    // Repeaters start listening on the first next(): ask for the first live event before replaying.
    let pending: Promise<IteratorResult<N>> = live.next();
    try {
      let lastSeq = -1;
      for (const event of await opts.replay()) {
        if (stopped) return;
        lastSeq = opts.eventSeq(event);
        await push(event);
        if (opts.isLast(event)) return;
      }
      if (await opts.endedBefore?.()) return;
      for (;;) {
        const result = await Promise.race([pending, ended.then(() => undefined)]);
        if (!result || result.done) return;
        pending = live.next();
        if (opts.noticeSeq(result.value) <= lastSeq) continue;
        const event = await opts.materialize(result.value);
        lastSeq = opts.eventSeq(event);
        await push(event);
        if (opts.isLast(event)) return;
      }
    } finally {
      stop();
      await live.return?.();
    }
  });
}
