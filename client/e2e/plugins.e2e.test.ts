/**
 * Plugins end to end: use a workflow template from the marketplace on the simulated model and run
 * it from the designer; build a custom tool, test it in the sandbox, save it and enable it on an
 * agent; install Slack and connect it through the OAuth flow against a mocked Slack.
 *
 * Slack is mocked at its two edges, with the real wire formats: the browser's visit to Slack's
 * consent page (slack.com/oauth/v2/authorize) is answered by a Playwright route that plays the
 * consent page and sends the browser back to the server's /oauth/callback with a code and the
 * state; the server, which runs in this process, exchanges the code at slack.com/api/oauth.v2.access
 * and tests the token at slack.com/api/auth.test, both answered by msw. Nothing else is stubbed:
 * the first-party Slack plugin, its manifest URLs, PKCE, state and token storage are the real ones.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chooseOption,
  e2eSuite,
  graphqlRequest,
  newPerson,
  readSession,
  replaceCode,
  screenshots,
  signUpFirstOwner,
  UI_TIMEOUT,
  waitForText,
  waitVisible,
  type BrowserUser,
} from './helpers';

const shot = screenshots('plugins');

const suite = e2eSuite();

// ---------------------------------------------------------------------------------------------
// Slack, mocked where the server calls it (in this process)

const SLACK_CLIENT_ID = '4118742615.7391852062';
const SLACK_CLIENT_SECRET = 'e2e-slack-client-secret';
const SLACK_CODE = '4118742615.7391857.e2e-authorization-code';
const BOT_TOKEN = 'xoxb-4118742615-7391852062-e2eBotTokenValue';

const tokenRequests: URLSearchParams[] = [];
const authTests: (string | null)[] = [];

const slack = setupServer(
  // https://api.slack.com/methods/oauth.v2.access: always HTTP 200, `ok` says how it went.
  http.post('https://slack.com/api/oauth.v2.access', async ({ request }) => {
    const form = new URLSearchParams(await request.text());
    tokenRequests.push(form);
    if (form.get('code') !== SLACK_CODE || form.get('client_secret') !== SLACK_CLIENT_SECRET) return HttpResponse.json({ ok: false, error: 'invalid_code' });
    return HttpResponse.json({
      ok: true,
      access_token: BOT_TOKEN,
      token_type: 'bot',
      scope: 'chat:write,channels:read',
      bot_user_id: 'U07BJ7XQ2LS',
      app_id: 'A07BJ5U8XH1',
      team: { name: 'Plugin Testers', id: 'T043GMUJ3DB' },
      enterprise: null,
      authed_user: { id: 'U043GN7HLJZ' },
      is_enterprise_install: false,
    });
  }),
  // https://api.slack.com/methods/auth.test
  http.get('https://slack.com/api/auth.test', ({ request }) => {
    const authorization = request.headers.get('authorization');
    authTests.push(authorization);
    if (authorization !== `Bearer ${BOT_TOKEN}`) return HttpResponse.json({ ok: false, error: 'invalid_auth' });
    return HttpResponse.json({
      ok: true,
      url: 'https://plugin-testers.slack.com/',
      team: 'Plugin Testers',
      user: 'agentflow',
      team_id: 'T043GMUJ3DB',
      user_id: 'U07BJ7XQ2LS',
      bot_id: 'B07BJ7XPZ9A',
      is_enterprise_install: false,
    });
  }),
);

// Everything else (the tests' own GraphQL requests, the server's database) goes through untouched.
beforeAll(() => slack.listen({ onUnhandledRequest: 'bypass' }));
afterAll(() => slack.close());

// ---------------------------------------------------------------------------------------------

/**
 * One owner for the whole file (the first sign-up of a fresh server is the setup page), each test
 * starting from a freshly loaded dashboard so that one test's failure does not leave a dialog open
 * for the next.
 */
let owner: BrowserUser | undefined;
async function ownerPage(): Promise<Page> {
  if (!owner) {
    owner = await suite.open();
    await signUpFirstOwner(owner.page, newPerson('Pia Plugins'), 'Plugin Testers');
  }
  await owner.page.goto('/dashboard');
  return owner.page;
}

/** Fails with a screenshot of where it stopped and the page's errors. */
async function step<T>(page: Page, name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    await shot(page, `failure-${name}`);
    const errors = owner?.pageErrors ?? [];
    throw errors.length > 0 ? new Error(`${String(error)}\nPage errors:\n${errors.join('\n')}`, { cause: error }) : error;
  }
}

/** The catalog card of a listing by its exact title (other cards may mention it in their descriptions). */
function listingCard(page: Page, kind: string, title: string): Locator {
  return page
    .getByTestId('listing-grid')
    .locator(`[data-testid^="listing-card-"][data-kind="${kind}"]`)
    .filter({ has: page.getByTestId('listing-title').getByText(title, { exact: true }) });
}

/** Marketplace → kind tab → search → the listing's page. */
async function openListing(page: Page, kind: string, title: string): Promise<void> {
  await page.getByTestId('nav-marketplace').click();
  await page.waitForURL('**/marketplace');
  await page.getByTestId(`kind-tab-${kind}`).click();
  await page.getByTestId('marketplace-search').fill(title);
  const card = listingCard(page, kind, title);
  await waitVisible(card);
  await card.click();
  await page.waitForURL(/\/marketplace\/[^/]+$/);
  await waitForText(page.getByTestId('listing-detail-title'), title);
}

async function graphql<T>(page: Page, query: string): Promise<T> {
  const session = (await readSession(page))!;
  const result = await graphqlRequest<T>(suite.server.url, query, session.accessToken);
  expect(result.errors).toBeUndefined();
  return result.data as T;
}

describe('plugins', () => {
  it('uses a workflow template from the marketplace on the simulated model and runs it from the designer', async () => {
    const page = await ownerPage();
    await step(page, 'template', async () => {
      // The catalog: first-party listings, published by AgentFlow, free.
      await page.getByTestId('nav-marketplace').click();
      await waitVisible(page.getByTestId('featured-grid'));
      await waitVisible(page.getByTestId('listing-grid'));
      await shot(page, 'marketplace');

      await openListing(page, 'WORKFLOW_TEMPLATE', 'Lead qualification');
      await waitForText(page.getByText(/^by AgentFlow/).first(), 'AgentFlow');
      await waitForText(page.getByTestId('listing-price'), 'Free');
      await waitVisible(page.getByTestId('listing-versions'));

      // Use it with the simulated model: the workflow and its agent are created, the designer opens.
      await page.getByTestId('use-template-button').click();
      await chooseOption(page, page.getByTestId('template-model'), /^Simulated/);
      await shot(page, 'use-template');
      await page.getByTestId('use-template-submit').click();
      await page.waitForURL(/\/workflows\/[^/]+$/);
      const canvas = page.getByTestId('designer-canvas');
      await expect.poll(() => canvas.getAttribute('data-ready'), { timeout: UI_TIMEOUT }).toBe('true');
      await waitVisible(page.getByTestId('node-qualify'));
      await waitVisible(page.getByTestId('node-to_sales'));
      const agents = await graphql<{ agents: { edges: { node: { name: string; model: string } }[] } }>(page, '{ agents(first: 10) { edges { node { name model } } } }');
      expect(agents.agents.edges.map((e) => e.node)).toContainEqual({ name: 'Lead qualifier', model: 'simulated' });
      await shot(page, 'template-designer');

      // Run it: the input form starts with the keys the template reads.
      await page.getByTestId('workflow-run').click();
      const input = page.getByTestId('run-input');
      await expect.poll(() => input.inputValue()).toContain('"companySize"');
      await input.fill(
        JSON.stringify({
          name: 'Grace Hopper',
          email: 'grace@navy.example',
          company: 'US Navy',
          role: 'Head of engineering',
          companySize: '5000',
          budget: '$200k this year',
          timeline: 'This quarter',
          message: 'We need agents to triage our support tickets before our launch in March.',
        }),
      );
      await page.getByTestId('run-start').click();
      await page.waitForURL(/\/runs\/[^/]+$/);
      await waitForText(page.getByTestId('run-status'), 'Succeeded', 60_000);
      expect(await page.getByTestId('node-qualify').getAttribute('data-status')).toBe('SUCCEEDED');
      // The simulated model's answer goes one way or the other; exactly one output ran.
      const outputs = await Promise.all(['to_sales', 'to_nurture'].map((id) => page.getByTestId(`node-${id}`).getAttribute('data-status')));
      expect(outputs.filter((s) => s === 'SUCCEEDED')).toHaveLength(1);
      await waitForText(page.getByTestId('run-output'), 'Grace Hopper');
      await shot(page, 'template-run');

      // The listing now shows as installed in this organization.
      await openListing(page, 'WORKFLOW_TEMPLATE', 'Lead qualification');
      await waitVisible(page.getByTestId('listing-detail').getByTestId('listing-installed'));
    });
  });

  it('builds a custom tool, tests it in the sandbox, saves it and enables it on an agent', async () => {
    const page = await ownerPage();
    await step(page, 'custom-tool', async () => {
      await page.getByTestId('nav-custom-tools').click();
      await page.waitForURL('**/tools/custom');
      await waitVisible(page.getByTestId('custom-tools-empty'));
      await page.getByTestId('new-custom-tool-button').click();
      await page.waitForURL('**/tools/custom/new');

      await page.getByTestId('custom-tool-name').fill('word_count');
      await page.getByTestId('custom-tool-description').fill('Counts the words of a text');
      // A broken schema is reported while typing, and fixing it clears the message.
      const schema = page.getByTestId('custom-tool-schema');
      await schema.fill('{ "type": "object", "properties": ');
      await expect.poll(() => schema.getAttribute('data-json-valid')).toBe('false');
      await waitVisible(page.getByText(/^Not valid JSON/));
      await schema.fill(JSON.stringify({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false }, null, 2));
      await expect.poll(() => schema.getAttribute('data-json-valid')).toBe('true');

      await replaceCode(
        page,
        'custom-tool-code',
        [
          'async function run(input, ctx) {',
          '  const words = input.text.trim().split(/\\s+/).filter(Boolean);',
          "  ctx.log('info', 'counted words', { count: words.length });",
          '  return { count: words.length };',
          '}',
        ].join('\n'),
      );
      await page.getByTestId('custom-tool-sample').fill('{ "text": "the quick brown fox" }');

      // In the sandbox: the output, the log line and the duration.
      await page.getByTestId('custom-tool-test').click();
      const result = page.getByTestId('tool-test-result');
      await waitVisible(result);
      expect(await result.getAttribute('data-ok')).toBe('true');
      await waitForText(page.getByTestId('tool-test-output'), /"count": 4/);
      await waitForText(page.getByTestId('tool-test-log').first(), 'counted words');
      await waitForText(page.getByTestId('tool-test-duration'), /\d+(\.\d)? m?s/);
      await shot(page, 'custom-tool-tested');

      // Input that breaks the schema fails in the sandbox with a code, not in the page.
      await page.getByTestId('custom-tool-sample').fill('{ "text": 42 }');
      await page.getByTestId('custom-tool-test').click();
      await expect.poll(() => result.getAttribute('data-ok'), { timeout: UI_TIMEOUT }).toBe('false');
      await expect.poll(() => page.getByTestId('tool-test-error').getAttribute('data-code')).not.toBe('');

      await page.getByTestId('custom-tool-save').click();
      await waitVisible(page.getByTestId('custom-tool-saved'));
      const toolId = (await page.getByTestId('custom-tool-id').textContent()) ?? '';
      expect(toolId).toMatch(/^custom-word-?count\.word_count$/);
      await shot(page, 'custom-tool-saved');

      await page.getByTestId('nav-custom-tools').click();
      await waitVisible(page.getByTestId('custom-tool-row-word_count'));

      // The agent builder lists it with the custom tools; an agent saved with it keeps it.
      await page.getByTestId('nav-agents').click();
      await page.getByTestId('new-agent-button').click();
      await page.waitForURL('**/agents/new');
      await page.getByTestId('agent-name').fill('Word counter');
      await chooseOption(page, page.getByTestId('model-picker'), /^Simulated/);
      const toggle = page.getByTestId('tool-group-custom').getByTestId(`tool-toggle-${toolId}`);
      await toggle.check();
      await shot(page, 'agent-with-custom-tool');
      await page.getByTestId('agent-save').click();
      await page.waitForURL(/\/agents\/(?!new)[^/]+$/);
      await waitForText(page.getByTestId('agent-version'), /1/);
      await page.reload();
      await expect.poll(() => page.getByTestId(`tool-toggle-${toolId}`).isChecked(), { timeout: UI_TIMEOUT }).toBe(true);
      const agents = await graphql<{ agents: { edges: { node: { name: string; tools: string[] } }[] } }>(page, '{ agents(first: 10) { edges { node { name tools } } } }');
      expect(agents.agents.edges.find((e) => e.node.name === 'Word counter')?.node.tools).toEqual([toolId]);
    });
  });

  it('installs Slack and connects it through the OAuth flow against a mocked Slack', async () => {
    const page = await ownerPage();
    const context = page.context();
    const authorizeUrls: URL[] = [];
    // The browser never reaches slack.com: its consent page is played here.
    await context.route('https://slack.com/**', async (route) => {
      const url = new URL(route.request().url());
      if (url.pathname !== '/oauth/v2/authorize') return route.abort();
      authorizeUrls.push(url);
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', SLACK_CODE);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      await route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: `<!doctype html><title>Slack</title><h1>AgentFlow is requesting permission to access the Plugin Testers Slack workspace</h1>
          <a id="allow" href="${back.toString().replaceAll('&', '&amp;')}">Allow</a>`,
      });
    });
    await step(page, 'slack', async () => {
      // Install: the hosts and secrets are shown before anything is installed.
      await openListing(page, 'PLUGIN', 'Slack');
      await waitVisible(page.getByTestId('permissions-section').getByTestId('permission-host-slack.com'));
      await waitVisible(page.getByTestId('listing-tools'));
      await page.getByTestId('install-button').click();
      await waitVisible(page.getByTestId('install-permissions').getByTestId('permission-secret-accessToken'));
      await shot(page, 'slack-install');
      await page.getByTestId('confirm-install').click();
      await expect.poll(() => page.getByTestId('listing-actions').getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('current');

      // Settings → Integrations → Add: the OAuth app's client id and secret, then Connect.
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('settings-tab-integrations').click();
      await page.waitForURL('**/settings/integrations');
      await waitVisible(page.getByTestId('integrations-empty'));
      await page.getByTestId('add-integration-button').click();
      await chooseOption(page, page.getByTestId('integration-plugin'), 'Slack (OAuth)');
      await waitForText(page.getByTestId('oauth-redirect-url'), `${suite.server.url}/oauth/callback`);
      await page.getByTestId('integration-client-id').fill(SLACK_CLIENT_ID);
      await page.getByTestId('integration-client-secret').fill(SLACK_CLIENT_SECRET);
      await page.getByTestId('integration-submit').click();

      // At "Slack": the authorize URL carries the app, the scopes, the state and a PKCE challenge.
      await page.waitForURL('https://slack.com/oauth/v2/authorize**');
      const authorize = authorizeUrls.at(-1)!;
      expect(authorize.searchParams.get('client_id')).toBe(SLACK_CLIENT_ID);
      expect(authorize.searchParams.get('response_type')).toBe('code');
      expect(authorize.searchParams.get('redirect_uri')).toBe(`${suite.server.url}/oauth/callback`);
      expect(authorize.searchParams.get('scope')?.split(/[ ,]/)).toEqual(expect.arrayContaining(['chat:write', 'channels:read']));
      expect(authorize.searchParams.get('state')).toMatch(/^\S{32,}$/);
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      await shot(page, 'slack-consent');
      await page.locator('#allow').click();

      // Back in the app: connected, the code exchanged with the PKCE verifier.
      await page.waitForURL(`${suite.server.url}/settings/integrations**`);
      await waitVisible(page.getByTestId('notification-success').filter({ hasText: 'is connected' }));
      const row = page.getByTestId('integration-row-slack');
      await expect.poll(() => row.getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('CONNECTED');
      // The notice is shown once: the query string is dropped, so a reload does not repeat it.
      await expect.poll(() => new URL(page.url()).search).toBe('');
      const exchange = tokenRequests.at(-1)!;
      expect(exchange.get('grant_type')).toBe('authorization_code');
      expect(exchange.get('code')).toBe(SLACK_CODE);
      expect(exchange.get('client_id')).toBe(SLACK_CLIENT_ID);
      expect(exchange.get('redirect_uri')).toBe(`${suite.server.url}/oauth/callback`);
      expect(exchange.get('code_verifier')?.length).toBeGreaterThanOrEqual(43);
      await shot(page, 'slack-connected');

      // Test uses the stored token; the actions are the plugin's tools.
      await row.getByTestId('integration-test').click();
      await waitVisible(page.getByTestId('notification-success').filter({ hasText: 'accepted the credentials' }));
      expect(authTests.at(-1)).toBe(`Bearer ${BOT_TOKEN}`);
      await row.getByTestId('integration-actions-toggle').click();
      await waitVisible(page.getByTestId('integration-action-slack.post_message'));

      // Disconnect drops the tokens; Delete (confirmed) removes the integration.
      await row.getByTestId('integration-disconnect').click();
      await expect.poll(() => row.getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('DISCONNECTED');
      await row.getByTestId('integration-delete').click();
      await page.getByTestId('confirm-delete-integration').click();
      await waitVisible(page.getByTestId('integrations-empty'));
      expect(owner?.pageErrors).toEqual([]);
    });
  });
});
