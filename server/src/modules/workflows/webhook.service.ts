import { createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { Config } from '../../config/env.ts';
import type { Caller, Deps } from '../../graphql/context.ts';
import { AppError } from '../../lib/errors.ts';
import { isUuid } from '../../lib/keys.ts';
import { randomToken } from '../auth/tokens.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { findRun, startWorkflowRun } from './run.service.ts';
import { requireWorkflow } from './workflow.service.ts';

export const webhookUrl = (config: Config, workflowId: string) => `${config.publicUrl}/hooks/${workflowId}`;
export const secretContext = (workflowId: string) => `workflow:${workflowId}:webhook`;

/** A new secret for the workflow's webhook; the old one stops working at once. Shown once. */
export async function rotateWebhookSecret(deps: Deps, caller: Caller, workflowId: string): Promise<{ url: string; secret: string }> {
  const workflow = await requireWorkflow(deps.db, caller.organizationId!, workflowId);
  const secret = `whs_${randomToken(24)}`;
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('workflows').set({ webhook_secret: deps.secrets.seal(secret, secretContext(workflow.id)) }).where('id', '=', workflow.id).execute();
    await writeAudit(trx, caller, { organizationId: workflow.organizationId, action: 'workflow.webhook_secret.rotate', targetType: 'Workflow', targetId: workflow.id, details: {} });
  });
  return { url: webhookUrl(deps.config, workflow.id), secret };
}

const MAX_BODY = 1024 * 1024;
const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'The body is larger than 1 MB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly code?: string) { super(message); }
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * `POST /hooks/<workflow id>`: starts a run with the JSON body as input. The caller proves it
 * knows the workflow's secret (X-AgentFlow-Secret) or signs the body with it
 * (X-AgentFlow-Signature: sha256=<hex HMAC-SHA256>). Answers 202 with the run id at once, or with
 * `?wait=<seconds>` (at most 120) waits for the run and answers with its output.
 */
export async function handleWebhook(deps: Deps, req: http.IncomingMessage, res: http.ServerResponse, workflowId: string, query: URLSearchParams): Promise<void> {
  try {
    if (req.method !== 'POST') throw new HttpError(405, 'Use POST');
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) throw new HttpError(413, 'The body is larger than 1 MB');
    if (!isUuid(workflowId)) throw new HttpError(404, 'No such webhook');
    const row = await deps.db.selectFrom('workflows').select(['id', 'organization_id', 'status', 'definition', 'webhook_secret']).where('id', '=', workflowId).executeTakeFirst();
    const trigger = (row?.definition as { nodes?: { type: string; config: { kind?: string } }[] } | undefined)?.nodes?.find((n) => n.type === 'trigger');
    if (!row || trigger?.config.kind !== 'webhook' || !row.webhook_secret) throw new HttpError(404, 'No such webhook');
    const body = await readBody(req);
    const secret = deps.secrets.open(row.webhook_secret, secretContext(row.id));
    const presented = req.headers['x-agentflow-secret'];
    const signature = req.headers['x-agentflow-signature'];
    const signed = typeof signature === 'string' && sameText(signature, `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
    if (!signed && !(typeof presented === 'string' && sameText(presented, secret))) throw new HttpError(401, 'Missing or wrong webhook secret or signature');
    if (row.status !== 'active') throw new HttpError(409, 'This workflow is not active');
    let input: unknown = {};
    if (body.length) {
      try { input = JSON.parse(body.toString('utf8')); } catch { throw new HttpError(400, 'The body is not valid JSON'); }
    }
    const run = await startWorkflowRun(deps, null, row.organization_id, row.id, input, 'webhook');
    const wait = Math.min(Number(query.get('wait') ?? 0) || 0, 120);
    if (!wait) return reply(res, 202, { runId: run.id, status: run.status });
    const done = await waitForRun(deps, row.organization_id, run.id, wait * 1000);
    return reply(res, 200, { runId: run.id, status: done.status, output: done.output ?? null, error: done.error ?? null });
  } catch (err) {
    if (err instanceof HttpError) return reply(res, err.status, { error: err.message });
    if (err instanceof AppError) return reply(res, err.code === 'QUOTA_EXCEEDED' ? 429 : err.code === 'NOT_FOUND' ? 404 : 400, { error: err.message, code: err.code });
    deps.logger.error('webhook failed', { error: (err as Error).message });
    return reply(res, 500, { error: 'Internal error' });
  }
}

const ended = (status: string) => status === 'succeeded' || status === 'failed' || status === 'cancelled';

/** Follows the run's events until it ends or the wait is over, then reads it. */
async function waitForRun(deps: Deps, organizationId: string, runId: string, ms: number) {
  const live = deps.events.pubsub.subscribe(`run:${runId}`);
  const first = live.next();
  const timer = new Promise<void>((r) => setTimeout(r, ms).unref());
  try {
    let run = (await findRun(deps.db, organizationId, runId))!;
    let next = first;
    while (!ended(run.status)) {
      const got = await Promise.race([next.then(() => true), timer.then(() => false)]);
      run = (await findRun(deps.db, organizationId, runId))!;
      if (!got) break;
      next = live.next();
    }
    return run;
  } finally {
    await live.return?.();
  }
}
