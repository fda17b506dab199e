import { CloseCode, createClient, type Client } from 'graphql-ws';
import { isNearExpiry, type Session } from './session-store';

/**
 * The graphql-ws socket authenticates once, in connection_init, and the server re-checks that
 * access token on every subscribe: once it has expired (15 minutes), the next subscribe closes the
 * socket with 4401. graphql-ws 6 counts 4401 as fatal before it consults `shouldRetry`
 * (shouldRetryConnectOrThrow in graphql-ws/dist/client.js), so without help every live
 * subscription would end. The socket therefore reports 4401 to graphql-ws under this code, which
 * the library leaves to `shouldRetry`; the reconnect refreshes the token and re-subscribes.
 */
export const REAUTHENTICATE_CLOSE_CODE = 4901;

/** Consecutive failed reconnects before the subscriptions give up (backoff 1 s, 2 s, 4 s ... ≈ 4½ min). */
export const RETRY_ATTEMPTS = 8;

export interface SubscriptionAuth {
  getSession: () => Session | null;
  /** The single-flight refresh (refreshSessionOnce): true when a usable session is in place. */
  refresh: () => Promise<boolean>;
}

interface CloseLike {
  code: number;
  reason: string;
}

function isCloseLike(value: unknown): value is CloseLike {
  return typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;
}

/**
 * Whether graphql-ws should reconnect after `errOrCloseEvent` (it then re-subscribes every active
 * subscription). Close codes graphql-ws treats as fatal never get here (4400, 4500, 1002-1011, ...).
 */
export function shouldRetry(errOrCloseEvent: unknown): boolean {
  // 4403: the caller may not use this organization (any more); reconnecting cannot change that.
  // Everything else: 4401 (as REAUTHENTICATE_CLOSE_CODE), 1001 server shutdown, 1006 abnormal
  // closure, 4499 terminated, ... .
  if (isCloseLike(errOrCloseEvent)) return errOrCloseEvent.code !== CloseCode.Forbidden;
  // A WebSocket `error` Event (server unreachable, network lost) is worth another attempt; an
  // Error is the client's own failure (signed out in connectionParams, malformed message).
  return !(errOrCloseEvent instanceof Error);
}

export class SignedOutError extends Error {
  override name = 'SignedOutError';
  constructor() {
    super('Sign in to receive live updates');
  }
}

/**
 * connection_init's payload, computed on every (re)connect: the access token is refreshed first
 * when it is expired or about to be (isNearExpiry's margin), or when the server refused it with
 * 4401 (say the local clock runs behind). A refused refresh has already cleared the session
 * (refreshSessionOnce), and then the subscriptions end with SignedOutError; a refresh that did not
 * reach the server sends the old token, and its 4401 is retried with backoff.
 */
export function subscriptionConnectionParams(auth: SubscriptionAuth): {
  connectionParams: () => Promise<Record<string, unknown>>;
  /** The server closed the socket with 4401: the token sent in its connection_init is no good. */
  unauthorized: () => void;
} {
  let sent: string | null = null;
  let rejected: string | null = null;
  return {
    async connectionParams() {
      let session = auth.getSession();
      if (session && (session.accessToken === rejected || isNearExpiry(session))) {
        await auth.refresh();
        session = auth.getSession();
      }
      if (!session) throw new SignedOutError();
      sent = session.accessToken;
      return { authorization: `Bearer ${session.accessToken}`, organizationId: session.organizationId ?? undefined };
    },
    unauthorized() {
      rejected = sent;
    },
  };
}

/** `Base` whose close events report 4401 (Unauthorized) as REAUTHENTICATE_CLOSE_CODE to `onclose`. */
export function reauthenticatingWebSocket(Base: typeof WebSocket): typeof WebSocket {
  return class ReauthenticatingWebSocket extends Base {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      // graphql-ws listens through `onclose`; shadow it so it only sees the translated event.
      let onclose: WebSocket['onclose'] = null;
      Object.defineProperty(this, 'onclose', {
        configurable: true,
        enumerable: true,
        get: () => onclose,
        set: (listener: WebSocket['onclose']) => {
          onclose = listener;
        },
      });
      this.addEventListener('close', (event) => {
        if (!onclose) return;
        const translated =
          event.code === CloseCode.Unauthorized
            ? new CloseEvent('close', { code: REAUTHENTICATE_CLOSE_CODE, reason: event.reason, wasClean: event.wasClean })
            : event;
        onclose.call(this, translated);
      });
    }
  };
}

export interface SubscriptionClientOptions {
  url: string;
  auth: SubscriptionAuth;
  webSocketImpl?: typeof WebSocket;
  /** For tests; otherwise graphql-ws's randomised exponential backoff. */
  retryWait?: (retries: number) => Promise<void>;
  /** Called when the socket is back after a lost connection (graphql-ws has re-subscribed). */
  onReconnected?: () => void;
}

export function createSubscriptionClient(options: SubscriptionClientOptions): Client {
  const { connectionParams, unauthorized } = subscriptionConnectionParams(options.auth);
  return createClient({
    url: options.url,
    lazy: true,
    retryAttempts: RETRY_ATTEMPTS,
    retryWait: options.retryWait,
    shouldRetry,
    connectionParams,
    webSocketImpl: reauthenticatingWebSocket(options.webSocketImpl ?? WebSocket),
    on: {
      closed(event) {
        if (isCloseLike(event) && event.code === REAUTHENTICATE_CLOSE_CODE) unauthorized();
      },
      connected(_socket, _payload, wasRetry) {
        if (wasRetry) options.onReconnected?.();
      },
    },
  });
}
