import { gql } from 'urql';

export type AuditActorType = 'USER' | 'API_KEY' | 'ANONYMOUS';

export interface AuditEntry {
  id: string;
  action: string;
  actorType: AuditActorType;
  actorLabel: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: unknown;
  createdAt: string;
}

export interface AuditLogPage {
  edges: { cursor: string; node: AuditEntry }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export const AuditLogQuery = gql<{ auditLog: AuditLogPage }, { first: number; after: string | null; action: string | null }>(`
  query AuditLog($first: Int!, $after: String, $action: String) {
    auditLog(first: $first, after: $after, action: $action) {
      edges {
        cursor
        node { id action actorType actorLabel targetType targetId ip userAgent details createdAt }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);
