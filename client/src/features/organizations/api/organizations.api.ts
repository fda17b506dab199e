import { gql } from 'urql';
import type { Role } from '../../../lib/roles';

export interface ViewerOrganization {
  id: string;
  name: string;
  role: Role;
  /** The caller's permissions here (keys of the server's permission table). */
  permissions: string[];
  plan: string;
}

export interface Viewer {
  id: string;
  name: string;
  email: string;
  organizations: ViewerOrganization[];
}

export const ViewerQuery = gql<{ viewer: Viewer | null }, Record<string, never>>(`
  query Viewer {
    viewer { id name email organizations { id name role permissions plan } }
  }
`);

export const CreateOrganizationMutation = gql<{ createOrganization: ViewerOrganization }, { input: { name: string } }>(`
  mutation CreateOrganization($input: CreateOrganizationInput!) {
    createOrganization(input: $input) { id name role permissions plan }
  }
`);

export const RenameOrganizationMutation = gql<{ renameOrganization: ViewerOrganization }, { input: { name: string } }>(`
  mutation RenameOrganization($input: RenameOrganizationInput!) {
    renameOrganization(input: $input) { id name role permissions plan }
  }
`);

export const LeaveOrganizationMutation = gql<{ leaveOrganization: string }, Record<string, never>>(`
  mutation LeaveOrganization { leaveOrganization }
`);
