import type { Selectable } from 'kysely';
import { access } from '../../graphql/access.ts';
import { builder } from '../../graphql/builder.ts';
import { OrganizationRef } from '../../graphql/refs.ts';
import type { EmailOutboxTable } from '../../db/schema.ts';
import { requireActiveOrganization } from '../../graphql/access.ts';
import { listOutbox } from './outbox.repository.ts';

const OutboxEmailRef = builder.objectRef<Selectable<EmailOutboxTable>>('OutboxEmail');
builder.node(OutboxEmailRef, {
  id: { resolve: (e) => e.id },
  fields: (t) => ({
    to: t.exposeString('recipient'),
    subject: t.exposeString('subject'),
    text: t.exposeString('body'),
    status: t.exposeString('status'),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    sentAt: t.expose('sent_at', { type: 'DateTime', nullable: true }),
  }),
});

builder.objectField(OrganizationRef, 'outbox', (t) => t.field({
  ...access('outbox:read'),
  type: [OutboxEmailRef],
  args: { first: t.arg.int({ defaultValue: 20 }) },
  description: 'E-mails the organization sent (the dev outbox when SMTP_URL is not set), newest first; owners see all, others those they caused',
  resolve: (o, { first }, ctx) => {
    requireActiveOrganization(ctx, o.id, 'outbox');
    return listOutbox(ctx.deps.db, ctx.caller, o.id, first ?? 20);
  },
}));
