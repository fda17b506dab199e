import { authExchange } from '@urql/exchange-auth';
import {
  Client,
  cacheExchange,
  fetchExchange,
  getOperationName,
  gql,
  subscriptionExchange,
  type Exchange,
  type Operation,
} from '@urql/core';
import type { Client as WsClient } from 'graphql-ws';
import { hasErrorCode } from './errors';
import { getSession, isNearExpiry, type Session } from './session-store';
import { createSubscriptionClient } from './subscription-client';
import { notifySubscriptionsReconnected } from './subscription-reconnects';
import { REFRESH_SESSION_QUERY, fetchTransport, refreshSessionOnce, type RefreshTransport, type RefreshedTokens } from './token-refresh';

// Operations that work signed out: they get no token and never trigger a refresh (a failed
// login must not be retried behind the user's back).
const PUBLIC_OPERATIONS = new Set([
  'Login',
  'Register',
  'RefreshSession',
  'RequestPasswordReset',
  'ResetPassword',
  'InvitationPreview',
  'SetupRequired',
]);

const RefreshSessionDocument = gql<{ refreshSession: RefreshedTokens }, { refreshToken: string }>(REFRESH_SESSION_QUERY);

function isPublic(operation: Operation): boolean {
  const name = getOperationName(operation.query);
  return name !== undefined && PUBLIC_OPERATIONS.has(name);
}

export function authHeaders(session: Session | null): Record<string, string> {
  if (!session) return {};
  const headers: Record<string, string> = { Authorization: `Bearer ${session.accessToken}` };
  if (session.organizationId) headers['X-Organization-Id'] = session.organizationId;
  return headers;
}

export const sessionAuthExchange: Exchange = authExchange(async (utils) => {
  const transport: RefreshTransport = async (refreshToken) => {
    const result = await utils.mutate(RefreshSessionDocument, { refreshToken });
    if (result.data?.refreshSession) return { tokens: result.data.refreshSession };
    return { tokens: null, rejected: (result.error?.graphQLErrors.length ?? 0) > 0 };
  };
  return {
    addAuthToOperation(operation) {
      if (isPublic(operation)) return operation;
      const headers = authHeaders(getSession());
      return Object.keys(headers).length > 0 ? utils.appendHeaders(operation, headers) : operation;
    },
    willAuthError(operation) {
      const session = getSession();
      return session !== null && !isPublic(operation) && isNearExpiry(session);
    },
    didAuthError(error, operation) {
      return getSession() !== null && !isPublic(operation) && hasErrorCode(error, 'UNAUTHENTICATED');
    },
    async refreshAuth() {
      await refreshSessionOnce(transport);
    },
  };
});

export interface GraphqlClientOptions {
  url?: string;
  wsUrl?: string;
  fetch?: typeof fetch;
}

function defaultWsUrl(path: string): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}${path}`;
}

export function createGraphqlClient(options: GraphqlClientOptions = {}): { client: Client; dispose: () => void } {
  const url = options.url ?? '/graphql';
  let ws: WsClient | undefined;
  // Reconnects (server restart, 4401 after the access token expired) re-authenticate with a
  // fresh token and re-subscribe; see subscription-client.ts.
  const wsClient = (): WsClient =>
    (ws ??= createSubscriptionClient({
      url: options.wsUrl ?? defaultWsUrl(url),
      auth: { getSession, refresh: () => refreshSessionOnce(fetchTransport(url, options.fetch)) },
      onReconnected: notifySubscriptionsReconnected,
    }));

  const client = new Client({
    url,
    fetch: options.fetch,
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    exchanges: [
      cacheExchange,
      sessionAuthExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              return { unsubscribe: wsClient().subscribe(input, sink) };
            },
          };
        },
      }),
    ],
  });
  return { client, dispose: () => void ws?.dispose() };
}

/** One client per signed-in user and organization: a new key means a fresh cache and socket. */
function clientKey(session: Session | null): string {
  return session ? `${session.userId}:${session.organizationId ?? ''}` : 'anonymous';
}

let current: { key: string; client: Client; dispose: () => void } | null = null;

export function getGraphqlClient(): Client {
  const key = clientKey(getSession());
  if (current?.key !== key) {
    const previous = current;
    // Let the old tree unmount (and end its subscriptions) before the socket closes.
    if (previous) setTimeout(previous.dispose, 0);
    current = { key, ...createGraphqlClient() };
  }
  return current.client;
}
