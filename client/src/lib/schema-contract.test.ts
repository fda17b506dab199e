import { buildSchema, isObjectType, parse, TypeInfo, validate, visit, visitWithTypeInfo, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import schemaSource from '../../../schema.graphql?raw';
import { PERMISSIONS as SERVER_PERMISSIONS } from '../../../server/src/modules/auth/permissions.ts';
import * as agents from '../features/agents/api/agents.api';
import * as apiKeys from '../features/api-keys/api/api-keys.api';
import * as auditLog from '../features/audit-log/api/audit-log.api';
import * as auth from '../features/auth/api/auth.api';
import * as customTools from '../features/custom-tools/api/custom-tools.api';
import * as integrations from '../features/integrations/api/integrations.api';
import * as marketplace from '../features/marketplace/api/marketplace.api';
import * as members from '../features/members/api/members.api';
import * as providerKeys from '../features/model-providers/api/provider-keys.api';
import * as runs from '../features/runs/api/runs.api';
import * as workflows from '../features/workflows/api/workflows.api';
import * as organizations from '../features/organizations/api/organizations.api';
import { PERMISSIONS } from './permissions';
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
    ...[agents, apiKeys, auditLog, auth, members, organizations, providerKeys, workflows, runs, marketplace, integrations, customTools].flatMap((m) => documents(m as Record<string, unknown>)),
    ['RefreshSession', parse(REFRESH_SESSION_QUERY)] as [string, DocumentNode],
  ];

  it('finds the documents', () => expect(all.length).toBeGreaterThan(20));

  it.each(all)('%s is valid', (_name, document) => {
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  });
});

/** `Organization` fields an operation selects, as `Type.field` paths seen by the schema. */
function organizationFields(schema: ReturnType<typeof buildSchema>, document: DocumentNode): string[] {
  const typeInfo = new TypeInfo(schema);
  const fields: string[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (typeInfo.getParentType()?.name === 'Organization') fields.push(node.name.value);
      },
    }),
  );
  return fields;
}

// UI gating reads the caller's permissions from the server instead of copying its role table.
describe('permissions come from the server', () => {
  const schema = buildSchema(schemaSource);

  it('Organization.permissions is a list of strings', () => {
    const organization = schema.getType('Organization');
    expect(isObjectType(organization) ? String(organization.getFields().permissions?.type) : null).toBe('[String!]!');
  });

  it.each([
    ['ViewerQuery', organizations.ViewerQuery],
    ['CreateOrganizationMutation', organizations.CreateOrganizationMutation],
    ['RenameOrganizationMutation', organizations.RenameOrganizationMutation],
  ])('%s loads the role and permissions of organizations', (_name, document) => {
    expect(organizationFields(schema, document)).toEqual(expect.arrayContaining(['id', 'name', 'role', 'permissions']));
  });

  // A renamed or dropped key would silently hide controls: the app may only gate on keys the server has.
  it("the app's permission keys are keys of the server's table", () => {
    expect(Object.keys(SERVER_PERMISSIONS)).toEqual(expect.arrayContaining([...PERMISSIONS]));
  });
});
