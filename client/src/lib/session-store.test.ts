import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  SESSION_STORAGE_KEY,
  getSession,
  isNearExpiry,
  setActiveOrganization,
  setSession,
  subscribeSession,
  type Session,
} from './session-store';

const session: Session = {
  accessToken: 'access-1',
  accessTokenExpiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
  refreshToken: 'refresh-1',
  userId: 'User:1',
  organizationId: 'Organization:1',
};

afterEach(() => setSession(null));

describe('session store', () => {
  it('persists the session and notifies subscribers', () => {
    const listener = vi.fn<() => void>();
    const unsubscribe = subscribeSession(listener);
    setSession(session);
    expect(getSession()).toEqual(session);
    expect(JSON.parse(localStorage.getItem(SESSION_STORAGE_KEY) ?? 'null')).toEqual(session);
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
    setSession(null);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('returns a stable object until something changes', () => {
    setSession(session);
    expect(getSession()).toBe(getSession());
  });

  it('switches the active organization only when it differs', () => {
    setSession(session);
    const listener = vi.fn<() => void>();
    subscribeSession(listener);
    setActiveOrganization('Organization:1');
    expect(listener).not.toHaveBeenCalled();
    setActiveOrganization('Organization:2');
    expect(getSession()?.organizationId).toBe('Organization:2');
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('follows changes another tab writes', () => {
    setSession(session);
    const rotated = { ...session, accessToken: 'access-2', refreshToken: 'refresh-2' };
    localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(rotated));
    const listener = vi.fn<() => void>();
    subscribeSession(listener);
    window.dispatchEvent(new StorageEvent('storage', { key: SESSION_STORAGE_KEY }));
    expect(getSession()).toEqual(rotated);
    expect(listener).toHaveBeenCalledTimes(1);

    localStorage.removeItem(SESSION_STORAGE_KEY);
    window.dispatchEvent(new StorageEvent('storage', { key: SESSION_STORAGE_KEY }));
    expect(getSession()).toBeNull();
  });

  it('ignores malformed storage', () => {
    localStorage.setItem(SESSION_STORAGE_KEY, '{"accessToken": 1');
    window.dispatchEvent(new StorageEvent('storage', { key: SESSION_STORAGE_KEY }));
    expect(getSession()).toBeNull();
  });

  it('treats tokens expiring within the margin as near expiry', () => {
    const now = Date.parse('2026-11-24T12:00:00Z');
    expect(isNearExpiry({ ...session, accessTokenExpiresAt: '2026-11-24T12:00:20Z' }, 30_000, now)).toBe(true);
    expect(isNearExpiry({ ...session, accessTokenExpiresAt: '2026-11-24T12:05:00Z' }, 30_000, now)).toBe(false);
    expect(isNearExpiry({ ...session, accessTokenExpiresAt: 'not a date' }, 30_000, now)).toBe(true);
  });
});
