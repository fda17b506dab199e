import { afterEach, describe, expect, it, vi } from 'vitest';
import { SESSION_STORAGE_KEY, getSession, setSession, type Session } from './session-store';
import { refreshSessionOnce, type RefreshTransport } from './token-refresh';

const inAMinute = () => new Date(Date.now() + 60_000).toISOString();
const expired: Session = {
  accessToken: 'old-access',
  accessTokenExpiresAt: new Date(Date.now() - 1000).toISOString(),
  refreshToken: 'old-refresh',
  userId: 'User:1',
  organizationId: 'Organization:7',
};

afterEach(() => setSession(null));

describe('refreshSessionOnce', () => {
  it('sends one refresh however many requests ask at once', async () => {
    setSession(expired);
    const pending: { resolve?: (value: Awaited<ReturnType<RefreshTransport>>) => void } = {};
    const transport = vi.fn<RefreshTransport>(() => new Promise((r) => (pending.resolve = r)));
    const first = refreshSessionOnce(transport);
    const second = refreshSessionOnce(transport);
    await vi.waitFor(() => expect(transport).toHaveBeenCalledTimes(1));
    pending.resolve?.({ tokens: { accessToken: 'new-access', accessTokenExpiresAt: inAMinute(), refreshToken: 'new-refresh', user: { id: 'User:1' } } });
    await expect(Promise.all([first, second])).resolves.toEqual([true, true]);
    expect(transport).toHaveBeenCalledWith('old-refresh');
    expect(getSession()).toMatchObject({ accessToken: 'new-access', refreshToken: 'new-refresh', organizationId: 'Organization:7' });
  });

  it('clears the session when the server rejects the refresh token', async () => {
    setSession(expired);
    const ok = await refreshSessionOnce(async () => ({ tokens: null, rejected: true }));
    expect(ok).toBe(false);
    expect(getSession()).toBeNull();
  });

  it('keeps the session when the server could not be reached', async () => {
    setSession(expired);
    const ok = await refreshSessionOnce(async () => ({ tokens: null, rejected: false }));
    expect(ok).toBe(false);
    expect(getSession()).toEqual(expired);
  });

  it('adopts tokens another tab already rotated instead of spending a used refresh token', async () => {
    setSession(expired);
    const fromOtherTab = { ...expired, accessToken: 'tab2-access', refreshToken: 'tab2-refresh', accessTokenExpiresAt: inAMinute() };
    localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(fromOtherTab));
    const transport = vi.fn<RefreshTransport>();
    await expect(refreshSessionOnce(transport)).resolves.toBe(true);
    expect(transport).not.toHaveBeenCalled();
    expect(getSession()?.accessToken).toBe('tab2-access');
  });
});
