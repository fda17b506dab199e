/**
 * The workflow designer end to end, driven by the mouse: add an agent and an approval node from
 * the palette, wire trigger → agent → approval → output by dragging socket to socket, undo and redo, save,
 * activate, run, approve in the run monitor and read the run's output; then the approvals inbox,
 * the runs list and the dashboard.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chooseOption, e2eSuite, graphqlRequest, newPerson, readSession, screenshots, signUpFirstOwner, waitForText, waitHidden, waitVisible } from './helpers';

const shot = screenshots('workflows');

const suite = e2eSuite();

/** The centre of an element on screen. */
async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags from output socket `port` of node `from` to input socket `in` of node `to`. */
async function connect(page: Page, from: string, port: string, to: string): Promise<void> {
  const start = await centre(page.getByTestId(`socket-out-${from}-${port}`));
  const end = await centre(page.getByTestId(`socket-in-${to}-in`));
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y, { steps: 8 });
  await page.mouse.up();
}

/** Drags a node by its title bar. */
async function dragNode(page: Page, id: string, dx: number, dy: number): Promise<void> {
  const title = page.getByTestId(`node-${id}`).getByTestId('node-title');
  const start = await centre(title);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + dx, start.y + dy, { steps: 8 });
  await page.mouse.up();
}

const edge = (page: Page, source: string, port: string, target: string) =>
  page.locator(`[data-testid="connection"][data-source="${source}"][data-source-output="${port}"][data-target="${target}"]`);

describe('the workflow designer', () => {
  it('draws trigger → agent → approval → output by mouse, runs it, watches it live, approves it and shows the output', async () => {
    const user = await suite.open();
    const { page } = user;
    await signUpFirstOwner(page, newPerson('Wanda Flow'), 'Flows Ltd');
    // The agent the workflow will use (the simulated model: no key, no cost).
    const session = (await readSession(page))!;
    const agent = await graphqlRequest(suite.server.url, 'mutation { createAgent(input: { name: "Refund writer", model: "simulated" }) { id } }', session.accessToken);
    expect(agent.errors).toBeUndefined();
    try {
      await page.getByTestId('nav-workflows').click();
      await page.waitForURL('**/workflows');
      await waitVisible(page.getByTestId('workflows-empty'));
      await page.getByTestId('new-workflow-button').click();
      await page.getByTestId('new-workflow-name').fill('Refund approval');
      await page.getByTestId('new-workflow-create').click();
      await page.waitForURL(/\/workflows\/[^/]+$/);

      // The starter graph: a manual trigger wired to an output.
      const canvas = page.getByTestId('designer-canvas');
      await expect.poll(() => canvas.getAttribute('data-ready'), { timeout: 15_000 }).toBe('true');
      await waitVisible(page.getByTestId('node-trigger'));
      await waitVisible(page.getByTestId('node-output'));
      await waitVisible(edge(page, 'trigger', 'out', 'output'));

      // Add an approval from the palette; it is selected and shown in the side panel.
      await page.getByTestId('palette-approval').click();
      const approval = page.getByTestId('node-approval_1');
      await waitVisible(approval);
      await waitForText(page.getByTestId('node-panel-id'), 'approval_1');

      // Undo removes it, redo brings it back.
      await canvas.click({ position: { x: 20, y: 20 } });
      await page.keyboard.press('Control+z');
      await waitHidden(approval);
      await page.keyboard.press('Control+Shift+z');
      await waitVisible(approval);

      // Nudge it, then add the agent, pick it and its message in the side panel.
      const before = await centre(approval);
      await dragNode(page, 'approval_1', 40, -30);
      await expect.poll(async () => (await centre(approval)).x - before.x).toBeGreaterThan(30);
      await page.getByTestId('palette-agent').click();
      const agentNode = page.getByTestId('node-agent_1');
      await waitVisible(agentNode);
      await waitForText(page.getByTestId('node-panel-id'), 'agent_1');
      await chooseOption(page, page.getByTestId('config-agentId'), /Refund writer/);
      await page.getByTestId('config-prompt').fill('/reply Refund of {{input.amount}} EUR looks fine');
      // Zoom to fit: every node and socket in view before wiring.
      await page.getByTestId('designer-zoom-fit').click();

      // Wire trigger → agent → approval → output (the output's single input gives up its old connection).
      await connect(page, 'trigger', 'out', 'agent_1');
      await waitVisible(edge(page, 'trigger', 'out', 'agent_1'));
      await connect(page, 'agent_1', 'out', 'approval_1');
      await waitVisible(edge(page, 'agent_1', 'out', 'approval_1'));
      await connect(page, 'approval_1', 'approved', 'output');
      await waitVisible(edge(page, 'approval_1', 'approved', 'output'));
      await waitHidden(edge(page, 'trigger', 'out', 'output'));

      // Auto-arrange (elk, loaded on first use) lays the chain out left to right.
      await page.getByTestId('designer-arrange').click();
      await expect
        .poll(async () => {
          const [a, b, c, d] = await Promise.all(['trigger', 'agent_1', 'approval_1', 'output'].map(async (id) => (await centre(page.getByTestId(`node-${id}`))).x));
          return a! < b! && b! < c! && c! < d!;
        }, { timeout: 15_000 })
        .toBe(true);

      // Configure it in the side panel.
      await approval.getByTestId('node-title').click();
      await page.getByTestId('node-name-input').fill('Refund check');
      await page.getByTestId('config-message').fill('Refund {{input.amount}} EUR to {{input.customer}}?');
      await waitForText(approval.getByTestId('node-title'), 'Refund check');
      await waitForText(page.getByTestId('validation-status'), 'Valid');
      await shot(page, 'designer');

      await page.getByTestId('workflow-save').click();
      await waitForText(page.getByTestId('workflow-version'), /v2/);
      await page.getByTestId('workflow-status').click();
      await waitForText(page.getByTestId('workflow-status-badge'), 'Active');

      // Version history: v2 → v3 changed the status; v1 → v3 added the approval node.
      await page.getByTestId('workflow-tab-versions').click();
      await waitVisible(page.getByTestId('version-row-3'));
      await waitVisible(page.getByTestId('diff-row-status'));
      await chooseOption(page, page.getByTestId('diff-from'), 'v1');
      await waitForText(page.getByTestId('diff-row-nodes.approval_1'), 'Refund check');
      await shot(page, 'version-diff');
      await page.getByTestId('workflow-tab-design').click();

      // Run it: the input form starts with the keys the templates read.
      await page.getByTestId('workflow-run').click();
      const input = page.getByTestId('run-input');
      await expect.poll(() => input.inputValue()).toContain('"amount"');
      await input.fill('{ "amount": 42, "customer": "Ada" }');
      await page.getByTestId('run-start').click();
      await page.waitForURL(/\/runs\/[^/]+$/);
      const runUrl = page.url();

      // The monitor, live: the trigger and the agent turn green, the approval waits (orange).
      await waitVisible(page.getByTestId('run-graph'));
      await expect.poll(() => page.getByTestId('node-approval_1').getAttribute('data-status'), { timeout: 15_000 }).toBe('WAITING');
      expect(await page.getByTestId('node-trigger').getAttribute('data-status')).toBe('SUCCEEDED');
      expect(await page.getByTestId('node-agent_1').getAttribute('data-status')).toBe('SUCCEEDED');
      await waitForText(page.getByTestId('run-status'), 'Waiting');
      await waitForText(page.getByTestId('approval-message'), 'Refund 42 EUR to Ada?');
      await shot(page, 'monitor-waiting');

      // The approval is in the inbox too, with a count in the navigation.
      await waitForText(page.getByTestId('nav-approvals-count'), '1');

      await page.getByTestId('approval-comment').fill('Fine by me');
      await page.getByTestId('approve-button').click();
      await waitForText(page.getByTestId('run-status'), 'Succeeded', 20_000);
      await expect.poll(() => page.getByTestId('node-output').getAttribute('data-status')).toBe('SUCCEEDED');
      expect(await page.getByTestId('node-approval_1').getAttribute('data-status')).toBe('SUCCEEDED');
      await waitForText(page.getByTestId('run-output'), /\S/);
      await waitVisible(page.locator('[data-testid="run-event"][data-type="approval.decided"]'));

      // A node's task: its branch and events.
      await page.getByTestId('node-approval_1').getByTestId('node-title').click();
      await waitForText(page.getByTestId('task-output-port'), 'approved');
      await waitForText(page.getByTestId('task-approval'), 'Fine by me');
      await shot(page, 'monitor-succeeded');

      // The runs list and the dashboard know about it.
      await page.getByTestId('nav-runs').click();
      await waitVisible(page.locator('[data-testid^="run-row-"][data-workflow="Refund approval"][data-status="SUCCEEDED"]'));
      await page.getByTestId('nav-dashboard').click();
      await expect.poll(async () => Number(await page.getByTestId('stat-succeeded').getAttribute('data-value')), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
      await shot(page, 'dashboard');
      await page.getByTestId('nav-approvals').click();
      await waitVisible(page.getByTestId('approvals-empty'));
      await waitHidden(page.getByTestId('nav-approvals-count'));
      expect(runUrl).toContain('/runs/');

      // A second run, rejected from the inbox this time.
      await page.getByTestId('nav-workflows').click();
      await page.getByTestId('workflow-row-Refund approval').getByTestId('workflow-link').click();
      await page.getByTestId('workflow-run').click();
      await page.getByTestId('run-input').fill('{ "amount": 5000, "customer": "Bob" }');
      await page.getByTestId('run-start').click();
      await page.waitForURL(/\/runs\/[^/]+$/);
      await waitForText(page.getByTestId('nav-approvals-count'), '1');
      await page.getByTestId('nav-approvals').click();
      const card = page.locator('[data-testid^="approval-"][data-node-id="approval_1"]');
      await waitForText(card.getByTestId('approval-message'), 'Refund 5000 EUR to Bob?');
      await shot(page, 'approvals-inbox');
      await card.getByTestId('approval-comment').fill('Too much');
      await card.getByTestId('reject-button').click();
      await waitVisible(page.getByTestId('approvals-empty'));
    } catch (error) {
      // A screenshot of where it stopped, and any page errors with the failure.
      await shot(page, 'failure');
      if (user.pageErrors.length > 0) throw new Error(`${String(error)}\nPage errors:\n${user.pageErrors.join('\n')}`, { cause: error });
      throw error;
    }
    expect(user.pageErrors).toEqual([]);
  });
});
