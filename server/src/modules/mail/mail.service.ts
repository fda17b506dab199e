import { fromKysely, type PgBoss } from 'pg-boss';
import nodemailer from 'nodemailer';
import type { Config } from '../../config/env.ts';
import type { Db, Executor } from '../../db/database.ts';
import type { Logger } from '../../lib/logger.ts';

export const EMAIL_QUEUE = 'email.deliver';

export interface Email { organizationId: string | null; createdBy: string | null; to: string; subject: string; text: string }

export interface Mailer {
  /** Records the e-mail and queues its delivery in the caller's transaction. */
  enqueue(db: Executor, email: Email): Promise<void>;
}

export function createMailer(boss: PgBoss): Mailer {
  return {
    async enqueue(db, email) {
      const row = await db.insertInto('email_outbox')
        .values({ organization_id: email.organizationId, created_by: email.createdBy, recipient: email.to, subject: email.subject, body: email.text })
        .returning('id').executeTakeFirstOrThrow();
      await boss.send(EMAIL_QUEUE, { id: row.id }, { db: fromKysely(db) });
    },
  };
}

/**
 * Delivers one outbox e-mail: by SMTP when SMTP_URL is set (after a successful send the body,
 * which may hold a token, is cleared), otherwise it stays in the dev outbox. Bodies are logged
 * only outside production, where the log is the developer's inbox.
 */
export function createEmailDelivery(db: Db, config: Config, logger: Logger) {
  const transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : undefined;
  return async (id: string): Promise<void> => {
    const email = await db.selectFrom('email_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    if (!email || email.status !== 'pending') return;
    if (!transport) {
      logger.info('email kept in the dev outbox (set SMTP_URL to send)', { id, to: email.recipient, subject: email.subject, ...(config.isProduction ? {} : { text: email.body }) });
      await db.updateTable('email_outbox').set({ status: 'logged', sent_at: new Date() }).where('id', '=', id).execute();
      return;
    }
    await transport.sendMail({ from: config.mailFrom, to: email.recipient, subject: email.subject, text: email.body });
    await db.updateTable('email_outbox').set({ status: 'sent', sent_at: new Date(), body: '[delivered by SMTP]' }).where('id', '=', id).execute();
  };
}
