import { useCallback } from 'react';
import { setSession } from '../../../lib/session-store';
import type { AuthPayload } from '../api/auth.api';

/** Stores the tokens of a fresh AuthPayload and scopes the app to its organization. */
export function useStartSession(): (payload: AuthPayload) => void {
  return useCallback((payload: AuthPayload) => {
    setSession({
      accessToken: payload.accessToken,
      accessTokenExpiresAt: payload.accessTokenExpiresAt,
      refreshToken: payload.refreshToken,
      userId: payload.user.id,
      organizationId: payload.organization.id,
    });
  }, []);
}

/** Only same-app paths are followed after sign-in, never another origin. */
export function safeNextPath(next: string | null, fallback = '/members'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
