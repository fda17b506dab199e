import { notifications } from '@mantine/notifications';
import { clearSession, getSession, isNearExpiry, readStoredSession, setSession } from './session-store';

export interface RefreshedTokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  user: { id: string };
}

/** `rejected`: the server answered and refused the token (log out); otherwise it was not reached. */
export type RefreshOutcome = { tokens: RefreshedTokens } | { tokens: null; rejected: boolean };
export type RefreshTransport = (refreshToken: string) => Promise<RefreshOutcome>;

export const REFRESH_SESSION_QUERY = /* GraphQL */ `
  mutation RefreshSession($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) {
      accessToken
      accessTokenExpiresAt
      refreshToken
      user { id }
    }
  }
`;

/** Refresh over plain fetch, for callers outside the urql pipeline (graphql-ws connectionParams). */
export function fetchTransport(url = '/graphql', fetchImpl: typeof fetch = (input, init) => fetch(input, init)): RefreshTransport {
  return async (refreshToken) => {
    try {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: JSON.stringify({ query: REFRESH_SESSION_QUERY, variables: { refreshToken } }),
      });
      const body = (await response.json()) as { data?: { refreshSession?: RefreshedTokens } | null; errors?: unknown[] };
      const tokens = body.data?.refreshSession;
      if (tokens) return { tokens };
      return { tokens: null, rejected: Array.isArray(body.errors) && body.errors.length > 0 };
    } catch {
      return { tokens: null, rejected: false };
    }
  };
}

let inflight: Promise<boolean> | null = null;

/**
 * Rotates the tokens once, however many requests ask at the same time. Refresh tokens are
 * single-use, so across tabs the work runs under a Web Lock and re-reads storage first: the tab
 * that waited adopts the tokens the other tab just got instead of spending a used one.
 * Resolves true when a usable session is in place.
 */
export function refreshSessionOnce(transport: RefreshTransport): Promise<boolean> {
  inflight ??= withTabLock(() => refresh(transport)).finally(() => {
    inflight = null;
  });
  return inflight;
}

function withTabLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return work();
  return locks.request('agentflow.refresh-session', work);
}

async function refresh(transport: RefreshTransport): Promise<boolean> {
  const used = getSession()?.refreshToken;
  const stored = readStoredSession();
  if (!stored) {
    clearSession();
    return false;
  }
  if (stored.refreshToken !== used && !isNearExpiry(stored)) {
    setSession(stored);
    return true;
  }
  const outcome = await transport(stored.refreshToken);
  if (outcome.tokens) {
    const { accessToken, accessTokenExpiresAt, refreshToken, user } = outcome.tokens;
    const base = getSession() ?? stored;
    setSession({ ...base, accessToken, accessTokenExpiresAt, refreshToken, userId: user.id });
    return true;
  }
  if (outcome.rejected) {
    clearSession();
    notifications.show({
      id: 'session-expired',
      color: 'yellow',
      title: 'Signed out',
      message: 'Your session has expired. Please log in again.',
    });
  }
  return false;
}
