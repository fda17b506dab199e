/**
 * API keys: created in the web app, the secret shown exactly once, usable from a script as a
 * Bearer token, and refused as soon as it is revoked in the web app.
 */
import { describe, expect, it } from 'vitest';
import {
  auditActions,
  chooseOption,
  e2eSuite,
  filterAuditLog,
  graphqlRequest,
  newPerson,
  screenshots,
  signUpFirstOwner,
  waitForText,
  waitForValue,
  waitHidden,
  waitVisible,
} from './helpers';

const shot = screenshots('api-keys');

const suite = e2eSuite();

const ORGANIZATION_QUERY = '{ organization { name } }';

describe('API keys', () => {
  it('creates a key, uses it from Node, revokes it, and the key stops working', async () => {
    const owner = newPerson('Kim Keys');
    const organizationName = 'Keyholders Inc';
    const keyName = 'CI pipeline';

    const user = await suite.open();
    const { page } = user;
    await signUpFirstOwner(page, owner, organizationName);

    // Create the key in the UI.
    await page.getByTestId('nav-api-keys').click();
    await page.waitForURL('**/api-keys');
    await page.getByTestId('create-api-key-button').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill(keyName);
    await chooseOption(page, dialog.getByTestId('api-key-role-select'), /^Viewer/);
    await waitForValue(dialog.getByTestId('api-key-role-select'), /^Viewer/);
    await shot(page, 'create-dialog');
    await dialog.getByTestId('create-api-key-submit').click();

    // The secret is shown once, in the dialog.
    const secretBox = dialog.getByTestId('api-key-secret');
    await waitVisible(secretBox);
    const secret = (await secretBox.innerText()).trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(secret).not.toMatch(/\s/);
    await waitVisible(dialog.getByTestId('copy-api-key-secret'));
    await shot(page, 'secret-shown-once');
    await dialog.getByTestId('api-key-done').click();
    await waitHidden(dialog);

    const row = page.getByTestId(`api-key-row-${keyName}`);
    await waitVisible(row);
    await waitForText(row.getByTestId('api-key-status'), 'Active');
    await waitForText(row, 'Viewer');
    // Never again: neither the table nor a reload shows the secret.
    expect(await page.getByTestId('api-key-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await waitVisible(page.getByTestId(`api-key-row-${keyName}`));
    expect(await page.content()).not.toContain(secret);
    await shot(page, 'key-listed');

    // A script calls the API with the key.
    const allowed = await graphqlRequest<{ organization: { name: string } }>(suite.server.url, ORGANIZATION_QUERY, secret);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data?.organization.name).toBe(organizationName);

    // Revoke it in the UI.
    await page.getByTestId(`revoke-api-key-${keyName}`).click();
    await page.getByTestId('confirm-revoke-api-key').click();
    await waitVisible(page.getByTestId('notification-success').filter({ hasText: keyName }));
    await waitForText(page.getByTestId(`api-key-row-${keyName}`).getByTestId('api-key-status'), 'Revoked');
    expect(await page.getByTestId(`revoke-api-key-${keyName}`).count()).toBe(0);
    await shot(page, 'key-revoked');

    // The same request is now refused.
    const refused = await graphqlRequest(suite.server.url, ORGANIZATION_QUERY, secret);
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);

    // Both steps are in the audit log.
    await page.getByTestId('nav-audit-log').click();
    await page.waitForURL('**/audit-log');
    await filterAuditLog(page, 'api_key.');
    const actions = await auditActions(page);
    expect(actions).toContain('api_key.create');
    expect(actions.indexOf('api_key.revoke')).toBeGreaterThanOrEqual(0);
    expect(actions.indexOf('api_key.revoke')).toBeLessThan(actions.indexOf('api_key.create')); // newest first
    await shot(page, 'audit-api-keys');
    expect(user.pageErrors).toEqual([]);
  });
});
