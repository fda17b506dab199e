import { brandWithType } from '@pothos/core';
import { findAgent } from '../modules/agents/agent.service.ts';
import { findTestSession } from '../modules/agents/agent-test.service.ts';
import { findWorkflow } from '../modules/workflows/workflow.service.ts';
import { findApproval, findRun } from '../modules/workflows/run.service.ts';
import { findApiKey } from '../modules/api-keys/api-key.service.ts';
import { roleCan, type Permission } from '../modules/auth/permissions.ts';
import { findInvitation } from '../modules/invitations/invitation.service.ts';
import { findOutboxEmail } from '../modules/mail/outbox.repository.ts';
import { findMemberUser, findMembership } from '../modules/members/member.service.ts';
import { findAuditEntry } from '../modules/audit/audit.service.ts';
import { findIntegration } from '../modules/integrations/integration.repository.ts';
import { findInstallation } from '../modules/marketplace/installation.service.ts';
import { findVisibleListing } from '../modules/marketplace/listing.repository.ts';
import { findOrganization, organizationsOfUser } from '../modules/organizations/organization.repository.ts';
import { forbidden, notFound } from '../lib/errors.ts';
import { access } from './access.ts';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { tryGlobalId } from './ids.ts';

type Loader = (ctx: Context, id: string, orgId: string) => Promise<object | undefined>;

const inActiveOrg = (permission: Permission, load: Loader): Loader => async (ctx, id, orgId) => {
  const found = await load(ctx, id, orgId);
  if (found && !roleCan(ctx.caller.role, permission)) throw forbidden();
  return found;
};

/** Every type `node` can load, each scoped to what the caller may see. */
const loaders: Record<string, Loader> = {
  Organization: async (ctx, id) => {
    if (ctx.caller.user) return (await organizationsOfUser(ctx.deps.db, ctx.caller.user.id)).find((o) => o.id === id);
    return id === ctx.caller.organizationId ? findOrganization(ctx.deps.db, id) : undefined;
  },
  Membership: inActiveOrg('members:read', (ctx, id, orgId) => findMembership(ctx.deps.db, orgId, id)),
  User: (ctx, id, orgId) => findMemberUser(ctx.deps.db, orgId, id),
  Invitation: inActiveOrg('members:invite', (ctx, id, orgId) => findInvitation(ctx.deps.db, orgId, id)),
  ApiKey: inActiveOrg('apiKeys:manage', (ctx, id, orgId) => findApiKey(ctx.deps.db, orgId, id)),
  AuditEntry: inActiveOrg('auditLog:read', (ctx, id, orgId) => findAuditEntry(ctx.deps.db, orgId, id)),
  Agent: inActiveOrg('agents:read', (ctx, id, orgId) => findAgent(ctx.deps.db, orgId, id)),
  AgentTestSession: inActiveOrg('agents:read', (ctx, id, orgId) => findTestSession(ctx.deps.db, orgId, id)),
  Workflow: inActiveOrg('workflows:read', (ctx, id, orgId) => findWorkflow(ctx.deps.db, orgId, id)),
  Run: inActiveOrg('workflows:read', (ctx, id, orgId) => findRun(ctx.deps.db, orgId, id)),
  Approval: inActiveOrg('workflows:read', (ctx, id, orgId) => findApproval(ctx.deps.db, orgId, id)),
  PluginListing: inActiveOrg('plugins:read', (ctx, id, orgId) => findVisibleListing(ctx.deps.db, orgId, id)),
  PluginInstallation: inActiveOrg('plugins:read', (ctx, id, orgId) => findInstallation(ctx.deps.db, orgId, id)),
  Integration: inActiveOrg('integrations:read', (ctx, id, orgId) => findIntegration(ctx.deps.db, orgId, id)),
  OutboxEmail: inActiveOrg('outbox:read', (ctx, id, orgId) => findOutboxEmail(ctx.deps.db, ctx.caller, orgId, id)),
};

builder.queryField('node', (t) => t.field({
  ...access('organization:read'),
  type: builder.nodeInterfaceRef(),
  args: { id: t.arg.id({ required: true }) },
  description: "Any object by its global ID; another organization's objects are NOT_FOUND",
  resolve: async (_r, { id }, ctx) => {
    const decoded = tryGlobalId(id);
    const load = decoded && loaders[decoded.typename];
    const found = load && (await load(ctx, decoded.id, ctx.caller.organizationId!));
    if (!found) throw notFound();
    // brandWithType marks the object for the Node interface's type resolution and returns nothing.
    brandWithType(found, decoded.typename as never);
    return found as never;
  },
}));

