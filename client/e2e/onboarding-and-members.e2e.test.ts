/**
 * The first day of an organization: the owner signs up on a fresh install, invites a teammate
 * by e-mail, the teammate joins through the link in a second browser, the owner watches them
 * appear live, promotes them to admin, and finds the change in the audit log.
 */
import { describe, expect, it } from 'vitest';
import {
  auditActions,
  chooseOption,
  e2eSuite,
  filterAuditLog,
  newPerson,
  screenshots,
  signUpFirstOwner,
  waitForText,
  waitForValue,
  waitHidden,
  waitVisible,
} from './helpers';

const shot = screenshots('onboarding');

const suite = e2eSuite();

describe('onboarding and members', () => {
  it('owner signs up, invites a member who joins in another browser, and promotes them to admin', async () => {
    const owner = newPerson('Olga Owner');
    const member = newPerson('Max Member');
    const organizationName = 'Acme Robotics';

    // 1. First run: "/" leads to /setup, where the owner account and organization are created.
    const ownerUser = await suite.open();
    const ownerPage = ownerUser.page;
    await signUpFirstOwner(ownerPage, owner, organizationName);
    await waitForText(ownerPage.getByTestId('active-org-name'), organizationName);
    await waitForValue(ownerPage.getByTestId(`role-select-${owner.email}`), 'Owner');
    await shot(ownerPage, 'owner-signed-up');

    // 2. Invite the member by e-mail from the Members page.
    await ownerPage.getByTestId('invite-member-button').click();
    const inviteDialog = ownerPage.getByRole('dialog');
    await inviteDialog.getByLabel('Email', { exact: true }).fill(member.email);
    await chooseOption(ownerPage, inviteDialog.getByTestId('invite-role-select'), /^Member/);
    await waitForValue(inviteDialog.getByTestId('invite-role-select'), /^Member/);
    await shot(ownerPage, 'invite-dialog');
    await inviteDialog.getByTestId('invite-submit').click();
    await waitHidden(inviteDialog);
    await waitVisible(ownerPage.getByTestId(`invitation-row-${member.email}`));

    // The dev outbox card shows the e-mail the server "sent", with the invitation link.
    const email = ownerPage.getByTestId('outbox-email').filter({ hasText: member.email });
    await waitVisible(email);
    const link = await email.getByTestId('outbox-link').getAttribute('href');
    expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]+$/);
    expect(new URL(link!).origin).toBe(suite.server.url); // PUBLIC_URL: the link works as e-mailed
    await shot(ownerPage, 'invitation-sent');

    // From here on the owner's page is never reloaded: a marker on window proves it at step 4.
    expect(await ownerPage.getByTestId(`member-row-${member.email}`).count()).toBe(0);
    await ownerPage.evaluate(() => Object.assign(window, { __e2eNoReload: true }));

    // 3. The member opens the link in a second browser context and signs up there.
    const memberUser = await suite.open();
    const memberPage = memberUser.page;
    await memberPage.goto(link!);
    await waitForText(memberPage.getByRole('heading', { level: 1 }), `Join ${organizationName}`);
    await waitForValue(memberPage.getByLabel('Email', { exact: true }), member.email);
    await waitVisible(memberPage.getByTestId('invite-login-link'));
    await shot(memberPage, 'invitation-page');
    await memberPage.getByLabel('Full name', { exact: true }).fill(member.name);
    await memberPage.getByLabel('Password', { exact: true }).fill(member.password);
    await memberPage.getByTestId('register-submit').click();
    await memberPage.waitForURL('**/members');
    await waitForText(memberPage.getByTestId('active-org-name'), organizationName);
    await waitForValue(memberPage.getByTestId(`role-select-${member.email}`), 'Member');
    // A member does not manage people: no invite button, read-only role selects.
    await waitVisible(memberPage.getByTestId(`member-row-${owner.email}`));
    expect(await memberPage.getByTestId('invite-member-button').count()).toBe(0);
    expect(await memberPage.getByTestId(`role-select-${owner.email}`).isDisabled()).toBe(true);
    await waitVisible(memberPage.getByTestId('org-switcher').getByTestId('role-badge-MEMBER'));
    await shot(memberPage, 'member-joined');

    // 4. The owner's page shows the new member without a reload (organizationEvents subscription),
    //    and the invitation is no longer pending.
    const memberRow = ownerPage.getByTestId(`member-row-${member.email}`);
    await waitVisible(memberRow);
    await waitForText(memberRow, member.name);
    await waitHidden(ownerPage.getByTestId(`invitation-row-${member.email}`));
    expect(await ownerPage.evaluate(() => '__e2eNoReload' in window)).toBe(true);
    expect(ownerPage.url()).toMatch(/\/members$/);
    await shot(ownerPage, 'member-appeared-live');

    // 5. The owner promotes the member: Member -> Admin with the role select.
    const roleSelect = ownerPage.getByTestId(`role-select-${member.email}`);
    await waitForValue(roleSelect, 'Member');
    await chooseOption(ownerPage, roleSelect, 'Admin');
    await waitVisible(ownerPage.getByTestId('notification-success').filter({ hasText: /admin/i }));
    await waitForValue(roleSelect, 'Admin');
    await shot(ownerPage, 'member-promoted');

    // 6. The audit log records the role change, by the owner.
    await ownerPage.getByTestId('nav-audit-log').click();
    await ownerPage.waitForURL('**/audit-log');
    const roleChange = ownerPage.locator('[data-testid="audit-row"][data-action="member.role_change"]');
    await waitVisible(roleChange);
    expect(await roleChange.count()).toBe(1);
    await waitForText(roleChange.getByTestId('audit-action'), 'member.role_change');
    await waitForText(roleChange.getByTestId('audit-actor'), owner.email);
    await filterAuditLog(ownerPage, 'member.');
    expect(await auditActions(ownerPage)).toContain('member.role_change');
    await shot(ownerPage, 'audit-role-change');

    // 7. The member's own view reflects the new role after a reload: they may invite now.
    await memberPage.reload();
    await waitVisible(memberPage.getByTestId('invite-member-button'));
    await waitForValue(memberPage.getByTestId(`role-select-${member.email}`), 'Admin');
    expect(await memberPage.getByTestId('invite-member-button').isEnabled()).toBe(true);
    await waitVisible(memberPage.getByTestId('org-switcher').getByTestId('role-badge-ADMIN'));
    await shot(memberPage, 'member-is-admin');

    for (const user of suite.users) expect(user.pageErrors).toEqual([]);
  });
});
