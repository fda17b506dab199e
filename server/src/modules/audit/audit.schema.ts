import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { access } from '../../graphql/access.ts';
import { builder } from '../../graphql/builder.ts';
import type { AuditLogTable } from '../../db/schema.ts';
import type { Selectable } from 'kysely';
import { listAudit } from './audit.service.ts';
import { toGlobalId } from '../../graphql/ids.ts';

const NODE_TYPES = new Set(['Organization', 'Membership', 'Invitation', 'ApiKey', 'User']);

type AuditRow = Selectable<AuditLogTable>;

const AuditActorType = builder.enumType('AuditActorType', { values: ['USER', 'API_KEY', 'ANONYMOUS'] as const });

export const AuditEntryRef = builder.objectRef<AuditRow>('AuditEntry');
builder.node(AuditEntryRef, {
  id: { resolve: (e) => e.id },
  fields: (t) => ({
    action: t.exposeString('action'),
    actorType: t.field({ type: AuditActorType, resolve: (e) => (e.actor_api_key_id ? 'API_KEY' : e.actor_user_id ? 'USER' : 'ANONYMOUS') }),
    actorLabel: t.exposeString('actor_label', { nullable: true }),
    targetType: t.exposeString('target_type', { nullable: true }),
    targetId: t.string({
      nullable: true,
      description: 'The global ID of the target (usable with `node`), or the raw id for non-node targets',
      resolve: (e) => (e.target_id && e.target_type && NODE_TYPES.has(e.target_type) ? toGlobalId(e.target_type, e.target_id) : e.target_id),
    }),
    ip: t.exposeString('ip', { nullable: true }),
    userAgent: t.exposeString('user_agent', { nullable: true }),
    details: t.expose('details', { type: 'JSON' }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
  }),
});

builder.queryField('auditLog', (t) => t.connection({
  ...access('auditLog:read'),
  type: AuditEntryRef,
  args: { action: t.arg.string({ description: 'Only actions starting with this, e.g. "member."' }) },
  description: 'Every change made in the active organization, newest first',
  resolve: (_r, args, ctx) => resolveCursorConnection(
    { args, toCursor: (e: AuditRow) => e.id, defaultSize: 50, maxSize: 200 },
    (page: ResolveCursorConnectionArgs) => listAudit(ctx.deps.db, ctx.caller.organizationId!, page, args.action),
  ),
}));
