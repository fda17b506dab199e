import type { Selectable } from 'kysely';
import { access } from '../../graphql/access.ts';
import { builder } from '../../graphql/builder.ts';
import { OrganizationRef } from '../../graphql/refs.ts';
import type { EmailOutboxTable } from '../../db/schema.ts';
import { forbidden } from '../../lib/errors.ts';

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
  description: "E-mails the organization sent (the dev outbox when SMTP_URL is not set), newest first",
  resolve: (o, { first }, ctx) => {
    if (o.id !== ctx.caller.organizationId) throw forbidden('Switch to this organization to see its outbox');
    return ctx.deps.db.selectFrom('email_outbox').selectAll().where('organization_id', '=', o.id)
      .orderBy('created_at', 'desc').limit(Math.min(Math.max(first ?? 20, 1), 100)).execute();
  },
}));
