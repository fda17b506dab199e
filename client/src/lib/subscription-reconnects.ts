/**
 * Reconnects of the app's graphql-ws socket. graphql-ws re-sends every active subscription after
 * a reconnect with its original variables; a subscription that can resume from a cursor (say,
 * runEvents' `after`) listens here and subscribes again from where it got to.
 */
const listeners = new Set<() => void>();

export function onSubscriptionsReconnected(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

export function notifySubscriptionsReconnected(): void {
  for (const listener of listeners) listener();
}
