import { buildSchema, parse, validate, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import schemaSource from '../../../schema.graphql?raw';
import * as apiKeys from '../features/api-keys/api/api-keys.api';
import * as auditLog from '../features/audit-log/api/audit-log.api';
import * as auth from '../features/auth/api/auth.api';
import * as members from '../features/members/api/members.api';
import * as organizations from '../features/organizations/api/organizations.api';
import { REFRESH_SESSION_QUERY } from './token-refresh';

function documents(module: Record<string, unknown>): [string, DocumentNode][] {
  return Object.entries(module).filter((entry): entry is [string, DocumentNode] => {
    const value = entry[1] as { kind?: unknown } | null;
    return typeof value === 'object' && value !== null && value.kind === 'Document';
  });
}

// The server prints its schema to schema.graphql; every operation the app sends must be valid there.
describe('operations against the server schema', () => {
  const schema = buildSchema(schemaSource);
  const all = [
    ...[apiKeys, auditLog, auth, members, organizations].flatMap((m) => documents(m as Record<string, unknown>)),
    ['RefreshSession', parse(REFRESH_SESSION_QUERY)] as [string, DocumentNode],
  ];

  it('finds the documents', () => expect(all.length).toBeGreaterThan(20));

  it.each(all)('%s is valid', (_name, document) => {
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  });
});
