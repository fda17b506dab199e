/**
 * The agent builder end to end: create an agent on the simulated model, chat with it (a tool call
 * and the cost show up), edit it, and read the version diff.
 */
import { describe, expect, it } from 'vitest';
import { chooseOption, e2eSuite, newPerson, screenshots, signUpFirstOwner, waitForText, waitVisible } from './helpers';

const shot = screenshots('agents');

const suite = e2eSuite();

describe('the agent builder', () => {
  it('creates an agent, chats with it through a tool, edits it and shows the version diff', async () => {
    const user = await suite.open();
    const { page } = user;
    await signUpFirstOwner(page, newPerson('Ada Builder'), 'Builders Ltd');

    await page.getByTestId('nav-agents').click();
    await page.waitForURL('**/agents');
    await waitVisible(page.getByTestId('agents-empty'));
    await page.getByTestId('new-agent-button').click();
    await page.waitForURL('**/agents/new');

    // The form: name, role, a system prompt with a template variable, the model and a tool.
    await page.getByTestId('agent-name').fill('Maths helper');
    await page.getByTestId('agent-role').fill('Answers arithmetic questions');
    const editor = page.getByTestId('instructions-editor').locator('.cm-content');
    await waitVisible(editor);
    await editor.click();
    await page.keyboard.type('You help {{team}} with arithmetic. Use the calculator.');
    await waitForText(page.getByTestId('instruction-variables'), 'team');
    await chooseOption(page, page.getByTestId('model-picker'), /^Simulated/);
    await page.getByTestId('tool-toggle-calculator').check();
    await shot(page, 'new-agent-form');
    await page.getByTestId('agent-save').click();
    await page.waitForURL(/\/agents\/(?!new)[^/]+$/);
    await waitForText(page.getByTestId('agent-version'), /1/);

    // Chat: the simulated model calls the calculator; the reply shows tokens and its (zero) cost.
    await page.getByTestId('chat-input').fill('What is 12 * (3 + 4)?');
    await page.getByTestId('chat-send').click();
    const toolCall = page.getByTestId('tool-call').first();
    await waitVisible(toolCall);
    expect(await toolCall.getAttribute('data-tool-name')).toBe('calculator');
    await waitForText(page.getByTestId('tool-call-arguments').first(), '12 * (3 + 4)');
    await waitForText(page.getByTestId('tool-result').first(), '84');
    await waitVisible(page.getByTestId('message-cost').first());
    await waitForText(page.getByTestId('message-cost').first(), '$0.00');
    await waitForText(page.getByTestId('message-tokens').first(), /\d/);
    await waitForText(page.locator('[data-testid="chat-message"][data-role="assistant"][data-status="final"]').last(), '84');
    await shot(page, 'chat-with-tool-call');

    // Edit and save: version 2.
    await page.getByTestId('agent-name').fill('Maths tutor');
    await page.getByTestId('agent-save').click();
    await waitForText(page.getByTestId('agent-version'), /2/);

    // Version history: the diff between 1 and 2 names the changed field with both values.
    await page.getByTestId('agent-tab-versions').click();
    await waitVisible(page.getByTestId('version-row-2'));
    const nameRow = page.getByTestId('diff-row-name');
    await waitVisible(nameRow);
    await waitForText(nameRow, 'Maths helper');
    await waitForText(nameRow, 'Maths tutor');
    await shot(page, 'version-diff');

    // Back on the list, the agent is there under its new name.
    await page.getByTestId('nav-agents').click();
    await waitVisible(page.getByTestId('agent-row-Maths tutor'));
    expect(user.pageErrors).toEqual([]);
  });
});
