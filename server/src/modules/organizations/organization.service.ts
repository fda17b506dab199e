import type { Caller, Deps } from '../../graphql/context.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { organizationNameSchema, parseInput } from '../auth/validation.ts';
import { insertOrganizationWithOwner, renameOrganization as renameRow, type Organization } from './organization.repository.ts';

export async function createOrganization(deps: Deps, caller: Caller, rawName: unknown): Promise<Organization> {
  const name = parseInput(organizationNameSchema, rawName);
  return deps.db.transaction().execute(async (trx) => {
    const { organization } = await insertOrganizationWithOwner(trx, name, caller.user!.id);
    await writeAudit(trx, caller, { organizationId: organization.id, action: 'organization.create', targetType: 'Organization', targetId: organization.id, details: { name } });
    return organization;
  });
}

export async function renameOrganization(deps: Deps, caller: Caller, rawName: unknown): Promise<Organization> {
  const name = parseInput(organizationNameSchema, rawName);
  const orgId = caller.organizationId!;
  return deps.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('organizations').select('name').where('id', '=', orgId).forUpdate().executeTakeFirstOrThrow();
    const organization = await renameRow(trx, orgId, name);
    await writeAudit(trx, caller, { organizationId: orgId, action: 'organization.rename', targetType: 'Organization', targetId: orgId, details: { from: before.name, to: name } });
    await deps.events.publish(trx, `org:${orgId}`, { type: 'ORGANIZATION_RENAMED', organizationId: orgId, membershipId: null, userId: null, role: null, occurredAt: new Date().toISOString() });
    return organization;
  });
}
