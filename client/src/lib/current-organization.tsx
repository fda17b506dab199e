import { createContext, useContext } from 'react';
import type { Can } from './permissions';
import type { Role } from './roles';

export interface OrganizationSummary {
  id: string;
  name: string;
  role: Role;
  /** The caller's permissions here, as keys of the server's permission table. */
  permissions: readonly string[];
}

export interface CurrentOrganization {
  organization: OrganizationSummary;
  organizations: OrganizationSummary[];
  viewer: { id: string; name: string; email: string };
  /** Whether the caller holds a permission in the active organization (from its `permissions`). */
  can: Can;
  /** Re-reads the viewer and its organizations (after a rename, a role change, ...). */
  refresh: () => void;
}

export const CurrentOrganizationContext = createContext<CurrentOrganization | null>(null);

/** The signed-in user and the organization the app is scoped to; only inside the app layout. */
export function useCurrentOrganization(): CurrentOrganization {
  const value = useContext(CurrentOrganizationContext);
  if (!value) throw new Error('useCurrentOrganization must be used inside the app layout');
  return value;
}
