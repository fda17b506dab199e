import { screen } from '@testing-library/react';
import { Client, fetchExchange } from 'urql';
import { describe, expect, it, vi } from 'vitest';
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

function renderAs(viewerId: string, viewerRole: Role) {
  renderWithProviders(
    <MembersTable members={members} viewerId={viewerId} viewerRole={viewerRole} pendingId={null} onChangeRole={vi.fn<(m: Member, r: Role) => void>()} onRemove={vi.fn<(m: Member) => void>()} />,
    { client },
  );
}

const roleSelect = (email: string) => screen.getByTestId(`role-select-${email}`) as HTMLInputElement;

describe('MembersTable', () => {
  it('lets an admin manage members and admins but not the owner or themselves', () => {
    renderAs('User:2', 'ADMIN');
    expect(roleSelect('mia@acme.test').disabled).toBe(false);
    expect(roleSelect('olga@acme.test').disabled).toBe(true);
    expect(roleSelect('adam@acme.test').disabled).toBe(true);
    expect(screen.getByTestId('remove-member-mia@acme.test')).toBeTruthy();
    expect(screen.queryByTestId('remove-member-olga@acme.test')).toBeNull();
    expect(roleSelect('mia@acme.test').value).toBe('Member');
  });

  it('lets an owner manage everyone else, including other owners', () => {
    renderAs('User:3', 'OWNER');
    expect(roleSelect('olga@acme.test').disabled).toBe(false);
    expect(roleSelect('adam@acme.test').disabled).toBe(false);
  });

  it('gives members and viewers read-only rows', () => {
    renderAs('User:3', 'MEMBER');
    for (const m of members) expect(roleSelect(m.user.email).disabled).toBe(true);
    expect(screen.queryAllByRole('button', { name: /remove/i })).toHaveLength(0);
    expect(screen.getByText('You')).toBeTruthy();
  });
});
