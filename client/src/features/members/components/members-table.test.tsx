import { fireEvent, screen } from '@testing-library/react';
import { Client, fetchExchange } from 'urql';
import { describe, expect, it, vi } from 'vitest';
import { permissionChecker, type Permission } from '../../../lib/permissions';
import type { Role } from '../../../lib/roles';
import { renderWithProviders } from '../../../test/render';
import type { Member } from '../api/members.api';
import { MembersTable } from './members-table';

const member = (id: string, role: Role, email: string): Member => ({
  id: `Membership:${id}`,
  role,
  joinedAt: '2026-11-01T10:00:00Z',
  user: { id: `User:${id}`, name: email.split('@')[0] ?? email, email },
});

const members = [member('1', 'OWNER', 'olga@acme.test'), member('2', 'ADMIN', 'adam@acme.test'), member('3', 'MEMBER', 'mia@acme.test')];
const client = new Client({ url: 'http://localhost/graphql', exchanges: [fetchExchange] });

// What the server answers in Organization.permissions for each role (fixtures, not the client's policy).
const READ: Permission[] = ['organization:read', 'members:read'];
const ADMIN: Permission[] = [...READ, 'organization:update', 'members:invite', 'members:manage', 'apiKeys:manage', 'auditLog:read', 'outbox:read'];
const OWNER: Permission[] = [...ADMIN, 'owners:manage'];

function renderWith(viewerId: string, permissions: readonly string[]) {
  renderWithProviders(
    <MembersTable
      members={members}
      viewerId={viewerId}
      can={permissionChecker(permissions)}
      pendingId={null}
      onChangeRole={vi.fn<(m: Member, r: Role) => void>()}
      onRemove={vi.fn<(m: Member) => void>()}
    />,
    { client },
  );
}

const roleSelect = (email: string) => screen.getByTestId(`role-select-${email}`) as HTMLInputElement;

describe('MembersTable', () => {
  it('with members:manage but not owners:manage, edits members and admins but not owners or oneself', () => {
    renderWith('User:2', ADMIN);
    expect(roleSelect('mia@acme.test').disabled).toBe(false);
    expect(roleSelect('olga@acme.test').disabled).toBe(true);
    expect(roleSelect('adam@acme.test').disabled).toBe(true);
    expect(screen.getByTestId('remove-member-mia@acme.test')).toBeTruthy();
    expect(screen.queryByTestId('remove-member-olga@acme.test')).toBeNull();
    expect(roleSelect('mia@acme.test').value).toBe('Member');
  });

  it('does not offer the owner role without owners:manage', () => {
    renderWith('User:2', ADMIN);
    fireEvent.click(roleSelect('mia@acme.test'));
    expect(screen.getByRole('option', { name: 'Owner' }).hasAttribute('data-combobox-disabled')).toBe(true);
    expect(screen.getByRole('option', { name: 'Admin' }).hasAttribute('data-combobox-disabled')).toBe(false);
  });

  it('with owners:manage, edits everyone else, including other owners, and offers the owner role', () => {
    renderWith('User:3', OWNER);
    expect(roleSelect('olga@acme.test').disabled).toBe(false);
    expect(roleSelect('adam@acme.test').disabled).toBe(false);
    expect(screen.getByTestId('remove-member-olga@acme.test')).toBeTruthy();
    fireEvent.click(roleSelect('adam@acme.test'));
    expect(screen.getByRole('option', { name: 'Owner' }).hasAttribute('data-combobox-disabled')).toBe(false);
  });

  it('without members:manage, shows read-only rows', () => {
    renderWith('User:3', READ);
    for (const m of members) expect(roleSelect(m.user.email).disabled).toBe(true);
    expect(screen.queryAllByRole('button', { name: /remove/i })).toHaveLength(0);
    expect(screen.getByText('You')).toBeTruthy();
  });

  it('ignores permission keys it does not know', () => {
    renderWith('User:3', [...READ, 'agents:run']);
    expect(roleSelect('adam@acme.test').disabled).toBe(true);
  });
});
