/**
 * Shared pieces of the browser tests: a real AgentFlow server started in the test process
 * (its own database cloned from the run's template, see global-setup.ts), Debian's Chromium
 * through playwright-core, screenshots, and small waits built on locators and expect.poll.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { startApp, type RunningApp } from '../../server/src/app.ts';
import { loadConfig } from '../../server/src/config/env.ts';
import { createTestDatabase } from '../../server/test/support/test-database.ts';
import { createLogger } from '../../server/src/lib/logger.ts';

/** How long a UI state may take to appear; generous for a 2-core machine. */
export const UI_TIMEOUT = 15_000;

// ---------------------------------------------------------------------------------------------
// Server

export interface E2EServer {
  /** Where the built web app and /graphql answer, e.g. http://127.0.0.1:41234 */
  url: string;
  app: RunningApp;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the OS picks it; the server binds it right after). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The real server (HTTP, WebSocket, workers) with a fresh database. It gets a concrete port
 * rather than PORT=0 so that PUBLIC_URL, and with it the links in e-mails, point at it.
 */
export async function startServer(overrides: Record<string, string> = {}): Promise<E2EServer> {
  const database = await createTestDatabase(inject('adminUrl'), inject('templateDatabase'));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'agentflow-e2e-data-'));
  const cleanup = async () => {
    await database.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (let attempt = 1; ; attempt++) {
    const config = loadConfig(
      {
        NODE_ENV: 'test',
        DATABASE_URL: database.url,
        PORT: String(await freePort()),
        APP_SECRET: 'e2e-secret-that-is-long-enough-0123456789abcdef',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'error',
        ...overrides,
      },
      () => undefined,
    );
    try {
      const app = await startApp(config, 'all', createLogger(config.logLevel));
      if (!app.url) throw new Error('the server did not report a URL');
      return {
        url: app.url,
        app,
        async stop() {
          await app.stop();
          await cleanup();
        },
      };
    } catch (error) {
      // Another process took the port between the probe and the listen: try another one.
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < 3) continue;
      await cleanup();
      throw error;
    }
  }
}

export interface GraphqlError {
  message: string;
  extensions?: { code?: string };
}

export interface GraphqlResponse<T> {
  status: number;
  data?: T | null;
  errors?: GraphqlError[];
}

/** One GraphQL request from Node, the way a script using an API key would send it. */
export async function graphqlRequest<T = unknown>(baseUrl: string, query: string, token?: string): Promise<GraphqlResponse<T>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as Omit<GraphqlResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

// ---------------------------------------------------------------------------------------------
// Browser

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium (never a downloaded one). One per test file; close it in afterAll. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface BrowserUser {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions thrown in the page; a test should end with none. */
  pageErrors: string[];
}

/** A fresh browser context (own storage, like a separate profile) with one page on the app. */
export async function openUser(browser: Browser, baseURL: string): Promise<BrowserUser> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(UI_TIMEOUT);
  context.setDefaultNavigationTimeout(UI_TIMEOUT * 2);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
  return { context, page, pageErrors };
}

/**
 * Closes the users' browser contexts, which also closes their WebSockets. Do this before
 * stopping a server: its stop() waits for open WebSocket connections to end.
 */
export async function closeUsers(users: BrowserUser[]): Promise<void> {
  await Promise.all(users.splice(0).map((user) => user.context.close().catch(() => undefined)));
}

const RESULTS_DIR = fileURLToPath(new URL('../test-results/', import.meta.url));

/** Saves numbered full-page screenshots as client/test-results/<prefix>-NN-<name>.png. */
export function screenshots(prefix: string): (page: Page, name: string) => Promise<string> {
  let count = 0;
  mkdirSync(RESULTS_DIR, { recursive: true });
  return async (page, name) => {
    count += 1;
    const file = path.join(RESULTS_DIR, `${prefix}-${String(count).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
}

// ---------------------------------------------------------------------------------------------
// Waiting (playwright-core has no expect: locators wait, expect.poll retries the rest)

export async function waitVisible(locator: Locator, timeout = UI_TIMEOUT): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout });
  return locator;
}

export async function waitHidden(locator: Locator, timeout = UI_TIMEOUT): Promise<void> {
  await locator.waitFor({ state: 'hidden', timeout });
}

/**
 * Waits until the first matching element's text contains (string) or matches (RegExp) `expected`.
 * Compares the DOM text (textContent), not the rendered one: badges are uppercased by CSS.
 */
export async function waitForText(locator: Locator, expected: string | RegExp, timeout = UI_TIMEOUT): Promise<void> {
  const text = async () => ((await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '') : '');
  await expect.poll(text, { timeout, interval: 100 }).toMatch(expected);
}

/** Waits until an input (or a Mantine Select's input) shows `expected` (RegExp: matches it). */
export async function waitForValue(locator: Locator, expected: string | RegExp, timeout = UI_TIMEOUT): Promise<void> {
  const value = async () => ((await locator.count()) > 0 ? locator.first().inputValue() : '');
  if (typeof expected === 'string') await expect.poll(value, { timeout, interval: 100 }).toBe(expected);
  else await expect.poll(value, { timeout, interval: 100 }).toMatch(expected);
}

/** A Mantine Select: open it by clicking its input, then click the option in the dropdown. */
export async function chooseOption(page: Page, select: Locator, option: string | RegExp): Promise<void> {
  await select.click();
  await page.getByRole('option', { name: option, exact: typeof option === 'string' }).click();
}

// ---------------------------------------------------------------------------------------------
// People and flows

export interface Person {
  name: string;
  email: string;
  password: string;
}

/** A new person with a unique address; passwords follow the server's 10-character minimum. */
export function newPerson(name: string): Person {
  const handle = name.toLowerCase().replace(/[^a-z]+/g, '.');
  return { name, email: `${handle}.${randomBytes(3).toString('hex')}@example.com`, password: `pw-${randomBytes(6).toString('hex')}-Secure` };
}

/** First run: "/" sends to /setup, where the owner account and first organization are created. */
export async function signUpFirstOwner(page: Page, owner: Person, organizationName: string): Promise<void> {
  await page.goto('/');
  await page.waitForURL('**/setup');
  await page.getByLabel('Full name', { exact: true }).fill(owner.name);
  await page.getByLabel('Email', { exact: true }).fill(owner.email);
  await page.getByLabel('Password', { exact: true }).fill(owner.password);
  await page.getByLabel('Organization name', { exact: true }).fill(organizationName);
  await page.getByTestId('register-submit').click();
  await page.waitForURL('**/members');
  await waitVisible(page.getByTestId(`member-row-${owner.email}`));
}

/** Fills and submits the login form of the page currently showing it. */
export async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByTestId('login-submit').click();
}

/** The actions of the audit rows on screen, top (newest) first. */
export function auditActions(page: Page): Promise<(string | null)[]> {
  return page.getByTestId('audit-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')));
}

/** Types into the audit log's filter and waits until every row shown matches it. */
export async function filterAuditLog(page: Page, prefix: string): Promise<void> {
  await page.getByTestId('audit-filter').fill(prefix);
  await expect
    .poll(async () => {
      const actions = await auditActions(page);
      return actions.length > 0 && actions.every((action) => action?.startsWith(prefix));
    }, { timeout: UI_TIMEOUT, interval: 100 })
    .toBe(true);
}

export interface StoredSession {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  userId: string;
  organizationId: string | null;
}

/** The session the web app keeps in localStorage (key agentflow.session). */
export async function readSession(page: Page): Promise<StoredSession | null> {
  const raw = await page.evaluate(() => localStorage.getItem('agentflow.session'));
  return raw ? (JSON.parse(raw) as StoredSession) : null;
}

export interface E2ESuite {
  readonly server: E2EServer;
  /** Opens a new person (a fresh browser context) on the app; closed with the suite. */
  open(): Promise<BrowserUser>;
  readonly users: readonly BrowserUser[];
}

/** A server and a browser for one test file: started before its tests, closed after them. */
export function e2eSuite(overrides: Record<string, string> = {}): E2ESuite {
  let server: E2EServer | undefined;
  let browser: Browser | undefined;
  const users: BrowserUser[] = [];
  beforeAll(async () => {
    server = await startServer(overrides);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    // Browsers first: their open WebSockets would otherwise hold the server's shutdown.
    await closeUsers(users);
    await browser?.close();
    await server?.stop();
  });
  return {
    get server() { return server!; },
    users,
    async open() {
      const user = await openUser(browser!, server!.url);
      users.push(user);
      return user;
    },
  };
}

/**
 * Replaces the text of a CodeMirror editor (the element with `testId` wraps it). Inserted as one
 * edit, the way a paste is: typed key by key, CodeMirror would auto-close brackets and indent.
 */
export async function replaceCode(page: Page, testId: string, code: string): Promise<void> {
  const content = page.getByTestId(testId).locator('.cm-content');
  await waitVisible(content);
  await content.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(code);
}
