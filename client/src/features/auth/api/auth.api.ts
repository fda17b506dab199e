import { gql } from 'urql';
import type { Role } from '../../../lib/roles';

export interface AuthPayload {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  user: { id: string; name: string; email: string };
  organization: { id: string; name: string };
}

const AUTH_PAYLOAD_FIELDS = /* GraphQL */ `
  accessToken
  accessTokenExpiresAt
  refreshToken
  user { id name email }
  organization { id name }
`;

export interface RegisterInput {
  email: string;
  password: string;
  name: string;
  organizationName?: string;
  invitationToken?: string;
}

export const SetupRequiredQuery = gql<{ setupRequired: boolean }, Record<string, never>>(`
  query SetupRequired { setupRequired }
`);

export const LoginMutation = gql<{ login: AuthPayload }, { input: { email: string; password: string } }>(`
  mutation Login($input: LoginInput!) { login(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }
`);

export const RegisterMutation = gql<{ register: AuthPayload }, { input: RegisterInput }>(`
  mutation Register($input: RegisterInput!) { register(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }
`);

export const LogoutMutation = gql<{ logout: boolean }, Record<string, never>>(`
  mutation Logout { logout }
`);

export const RequestPasswordResetMutation = gql<{ requestPasswordReset: boolean }, { email: string }>(`
  mutation RequestPasswordReset($email: String!) { requestPasswordReset(email: $email) }
`);

export const ResetPasswordMutation = gql<{ resetPassword: boolean }, { input: { token: string; password: string } }>(`
  mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) }
`);

export type InvitationStatus = 'PENDING' | 'ACCEPTED' | 'REVOKED' | 'EXPIRED';

export interface InvitationPreview {
  organizationName: string;
  email: string;
  role: Role;
  invitedByName: string | null;
  status: InvitationStatus;
}

export const InvitationPreviewQuery = gql<{ invitation: InvitationPreview | null }, { token: string }>(`
  query InvitationPreview($token: String!) {
    invitation(token: $token) { organizationName email role invitedByName status }
  }
`);

export const AcceptInvitationMutation = gql<{ acceptInvitation: { id: string; name: string; role: Role } }, { token: string }>(`
  mutation AcceptInvitation($token: String!) { acceptInvitation(token: $token) { id name role } }
`);
