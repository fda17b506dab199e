import { gql } from 'urql';
import type { Role } from '../../../lib/roles';

export interface Member {
  id: string;
  role: Role;
  joinedAt: string;
  user: { id: string; name: string; email: string };
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  status: 'PENDING' | 'ACCEPTED' | 'REVOKED' | 'EXPIRED';
  createdAt: string;
  expiresAt: string;
  invitedBy: { id: string; name: string } | null;
}

export interface OutboxEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
  status: string;
  createdAt: string;
}

export type OrganizationEventType =
  | 'MEMBER_JOINED'
  | 'MEMBER_ROLE_CHANGED'
  | 'MEMBER_REMOVED'
  | 'MEMBER_LEFT'
  | 'ORGANIZATION_RENAMED'
  | 'INVITATION_CREATED';

export interface OrganizationEvent {
  type: OrganizationEventType;
  organizationId: string;
  membershipId: string | null;
  userId: string | null;
  role: Role | null;
  occurredAt: string;
}

const MEMBER_FIELDS = 'id role joinedAt user { id name email }';
const INVITATION_FIELDS = 'id email role status createdAt expiresAt invitedBy { id name }';

export const MembersQuery = gql<
  {
    organization: {
      id: string;
      members: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: Member }[] };
    };
  },
  { first: number }
>(`
  query Members($first: Int!) {
    organization {
      id
      members(first: $first) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { ${MEMBER_FIELDS} } }
      }
    }
  }
`);

export const InvitationsQuery = gql<{ organization: { id: string; invitations: Invitation[] } }, Record<string, never>>(`
  query Invitations { organization { id invitations { ${INVITATION_FIELDS} } } }
`);

export const OutboxQuery = gql<{ organization: { id: string; outbox: OutboxEmail[] } }, { first: number }>(`
  query Outbox($first: Int!) { organization { id outbox(first: $first) { id to subject text status createdAt } } }
`);

export const InviteMemberMutation = gql<{ inviteMember: Invitation }, { input: { email: string; role: Role } }>(`
  mutation InviteMember($input: InviteMemberInput!) { inviteMember(input: $input) { ${INVITATION_FIELDS} } }
`);

export const RevokeInvitationMutation = gql<{ revokeInvitation: Invitation }, { id: string }>(`
  mutation RevokeInvitation($id: ID!) { revokeInvitation(id: $id) { ${INVITATION_FIELDS} } }
`);

export const ChangeMemberRoleMutation = gql<{ changeMemberRole: Member }, { input: { membershipId: string; role: Role } }>(`
  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) { changeMemberRole(input: $input) { ${MEMBER_FIELDS} } }
`);

export const RemoveMemberMutation = gql<{ removeMember: string }, { membershipId: string }>(`
  mutation RemoveMember($membershipId: ID!) { removeMember(membershipId: $membershipId) }
`);

export const OrganizationEventsSubscription = gql<{ organizationEvents: OrganizationEvent }, Record<string, never>>(`
  subscription OrganizationEvents {
    organizationEvents { type organizationId membershipId userId role occurredAt }
  }
`);
