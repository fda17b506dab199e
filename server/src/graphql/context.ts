import type pg from 'pg';
import type { SandboxRunner } from '@agentflow/plugin-sdk/host';
import type { PgBoss } from 'pg-boss';
import type { Config } from '../config/env.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../lib/logger.ts';
import type { Role } from '../modules/auth/permissions.ts';
import type { Organization } from '../modules/organizations/organization.repository.ts';
import type { AccessTokens } from '../modules/auth/tokens.ts';
import type { EventBus } from './pubsub.ts';
import type { RateLimiter } from '../modules/auth/rate-limit.ts';
import type { Mailer } from '../modules/mail/mail.service.ts';
import type { SecretBox } from '../lib/secret-box.ts';

/** Long-lived collaborators, built once per process in the composition root. */
export interface Deps {
  config: Config;
  db: Db;
  /** The pool under `db`, for the few hot queries run as named prepared statements. */
  pool: pg.Pool;
  logger: Logger;
  events: EventBus;
  accessTokens: AccessTokens;
  rateLimiter: RateLimiter;
  mailer: Mailer;
  /** Seals secrets kept in the database (provider keys). */
  secrets: SecretBox;
  /** pg-boss: jobs are sent from any process, inside the caller's transaction when it matters. */
  queue: PgBoss;
  /** Runs plugin, custom-tool and code-node calls in isolates, in separate sandbox processes. */
  sandbox: SandboxRunner;
}

export interface CallerUser { id: string; email: string; name: string; sessionId: string }
export interface CallerApiKey { id: string; name: string }

/** Who is calling, resolved fresh from the database on every request (roles are never cached). */
export interface Caller {
  user: CallerUser | null;
  apiKey: CallerApiKey | null;
  /** The active organization: X-Organization-Id, else the user's first, else the API key's. */
  organizationId: string | null;
  role: Role | undefined;
  /** The active organization's row as read with the caller (users only; saves a query per request). */
  organization?: Organization | null;
  ip: string | null;
  userAgent: string | null;
}

export interface Context {
  deps: Deps;
  caller: Caller;
}
