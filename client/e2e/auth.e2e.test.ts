/**
 * Signing in and out: log out and back in, a wrong password's readable error, the
 * ?next= round trip of a signed-out visit, and a session that outlives its access token.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeUsers,
  graphqlRequest,
  launchBrowser,
  newPerson,
  openUser,
  readSession,
  screenshots,
  signUpFirstOwner,
  startServer,
  submitLogin,
  waitForText,
  waitVisible,
  type BrowserUser,
  type E2EServer,
} from './helpers';

const shot = screenshots('auth');

let browser: Browser;
/** The browser contexts of the running describe block; closed before its server stops. */
const users: BrowserUser[] = [];

/** A browser context per test: nothing (storage, session) carries over between tests. */
async function freshUser(url: string): Promise<BrowserUser> {
  const user = await openUser(browser, url);
  users.push(user);
  return user;
}

const REFRESH = 'mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }';

async function refreshWith(url: string, refreshToken: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: REFRESH, variables: { t: refreshToken } }),
  });
  return (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
}

/** The error code the server answers a request signed with this access token (undefined: accepted). */
async function accessTokenCode(url: string, accessToken: string): Promise<string | undefined> {
  const result = await graphqlRequest(url, '{ organization { name } }', accessToken);
  return result.errors?.[0]?.extensions?.code;
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('sign in and out', () => {
  let server: E2EServer;
  const owner = newPerson('Olivia Owner');
  const organizationName = 'Auth Co';

  beforeAll(async () => {
    server = await startServer();
    const setup = await freshUser(server.url);
    await signUpFirstOwner(setup.page, owner, organizationName);
    await closeUsers(users);
  });

  afterAll(async () => {
    await closeUsers(users);
    await server?.stop();
  });

  it('logs out and logs in again', async () => {
    const { page, pageErrors } = await freshUser(server.url);
    await page.goto('/');
    await page.waitForURL('**/login');
    await submitLogin(page, owner.email, owner.password);
    await page.waitForURL('**/members');
    await waitVisible(page.getByTestId(`member-row-${owner.email}`));
    await page.getByTestId('user-menu').click();
    await waitForText(page.getByTestId('user-email'), owner.email);
    await shot(page, 'signed-in-menu');
    const before = await readSession(page);
    expect(before?.refreshToken).toBeTruthy();

    await page.getByTestId('logout-button').click();
    await page.waitForURL('**/login');
    await waitVisible(page.getByTestId('login-submit'));
    expect(await readSession(page)).toBeNull();
    // Logging out revoked the refresh token on the server, not only in the browser.
    const reuse = await refreshWith(server.url, before!.refreshToken);
    expect(reuse.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // The app pages now send a signed-out visitor to the login page.
    await page.goto('/members');
    await page.waitForURL(/\/login\?next=%2Fmembers$/);
    await waitVisible(page.getByTestId('login-submit'));
    await shot(page, 'logged-out');

    await submitLogin(page, owner.email, owner.password);
    await page.waitForURL('**/members');
    await waitVisible(page.getByTestId(`member-row-${owner.email}`));
    await waitForText(page.getByTestId('active-org-name'), organizationName);
    await shot(page, 'logged-in-again');
    expect(pageErrors).toEqual([]);
  });

  it('shows a readable error with its code for a wrong password', async () => {
    const { page, pageErrors } = await freshUser(server.url);
    await page.goto('/login');
    await submitLogin(page, owner.email, 'not-the-right-password');
    const error = page.getByTestId('form-error');
    await waitVisible(error);
    await waitForText(error, 'Invalid email or password (UNAUTHENTICATED)');
    expect(page.url()).toMatch(/\/login$/);
    expect(await readSession(page)).toBeNull();
    await shot(page, 'wrong-password');

    // The same form then signs in with the right password.
    await page.getByLabel('Password', { exact: true }).fill(owner.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/members');
    await waitVisible(page.getByTestId('members-table'));
    expect(pageErrors).toEqual([]);
  });

  it('sends a signed-out visit to /audit-log through /login and back (next=)', async () => {
    const { page, pageErrors } = await freshUser(server.url);
    await page.goto('/audit-log');
    await page.waitForURL(/\/login\?next=%2Faudit-log$/);
    await waitVisible(page.getByTestId('login-submit'));
    await shot(page, 'login-with-next');

    await submitLogin(page, owner.email, owner.password);
    await page.waitForURL(/\/audit-log$/);
    await waitVisible(page.getByTestId('audit-table'));
    await waitVisible(page.locator('[data-testid="audit-row"][data-action="organization.create"]'));
    await shot(page, 'back-on-audit-log');
    expect(pageErrors).toEqual([]);
  });
});

describe('session refresh', () => {
  let server: E2EServer;
  const owner = newPerson('Rita Refresh');

  beforeAll(async () => {
    // Access tokens live 3 seconds here, so a test can outlast one without waiting long.
    server = await startServer({ ACCESS_TOKEN_TTL_SECONDS: '3' });
  });

  afterAll(async () => {
    await closeUsers(users);
    await server?.stop();
  });

  it('keeps the user signed in after the access token expires', async () => {
    const { page, pageErrors } = await freshUser(server.url);
    await signUpFirstOwner(page, owner, 'Refresh Ltd');
    const first = (await readSession(page))!;
    expect(first.accessToken).toBeTruthy();

    // Wait until the server itself refuses the first access token (no fixed sleep: poll).
    await expect.poll(() => accessTokenCode(server.url, first.accessToken), { timeout: 20_000, interval: 250 }).toBe('UNAUTHENTICATED');

    // Navigating in the app still loads data, with no login in between.
    await page.getByTestId('nav-audit-log').click();
    await page.waitForURL(/\/audit-log$/);
    await waitVisible(page.locator('[data-testid="audit-row"][data-action="organization.create"]'));
    await page.getByTestId('nav-members').click();
    await page.waitForURL(/\/members$/);
    await waitVisible(page.getByTestId(`member-row-${owner.email}`));
    const second = (await readSession(page))!;
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await accessTokenCode(server.url, second.accessToken)).toBeUndefined();
    await shot(page, 'refreshed-proactively');

    // The other path: the app believes its token is fresh but the server rejects it
    // (UNAUTHENTICATED), so the client refreshes and retries the request by itself.
    await expect.poll(() => accessTokenCode(server.url, second.accessToken), { timeout: 20_000, interval: 250 }).toBe('UNAUTHENTICATED');
    // Background requests (the approvals badge) may have refreshed already: put the rejected token
    // back, with the current refresh token, so the next load starts from it.
    await page.evaluate((stale) => {
      const session = JSON.parse(localStorage.getItem('agentflow.session') ?? 'null') as Record<string, unknown>;
      localStorage.setItem('agentflow.session', JSON.stringify({ ...session, accessToken: stale, accessTokenExpiresAt: '2999-01-01T00:00:00.000Z' }));
    }, second.accessToken);
    expect((await readSession(page))?.accessToken).toBe(second.accessToken);
    await page.goto('/audit-log');
    await waitVisible(page.locator('[data-testid="audit-row"][data-action="organization.create"]'));
    expect(page.url()).toMatch(/\/audit-log$/);
    const third = (await readSession(page))!;
    expect(third.accessToken).not.toBe(second.accessToken);
    expect(Date.parse(third.accessTokenExpiresAt)).toBeLessThan(Date.parse('2999-01-01'));
    await shot(page, 'refreshed-after-rejection');
    expect(pageErrors).toEqual([]);
  });
});
