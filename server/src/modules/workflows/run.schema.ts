import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { Repeater } from 'graphql-yoga';
import { access } from '../../graphql/access.ts';
import { builder } from '../../graphql/builder.ts';
import { fromGlobalId, toGlobalId } from '../../graphql/ids.ts';
import { RunRef, UserRef, WorkflowRef } from '../../graphql/refs.ts';
import { replayThenFollow } from '../../graphql/replay.ts';
import { lowercaseEnum, RoleEnum } from '../../graphql/scalars.ts';
import { badInput, notFound } from '../../lib/errors.ts';
import { usdStringToNano } from '../../llm/pricing.ts';
import { decideApproval } from '../../workflows/approvals.ts';
import { findUserById } from '../auth/user.repository.ts';
import {
  approvalOfTask, cancelRun, eventsOfRun, findApproval, findRun, listRuns, pendingApprovals, retryRun, runStats, startWorkflowRun, tasksOfRun,
  type Run, type RunEvent,
} from './run.service.ts';
import { findWorkflow } from './workflow.service.ts';
import { RunStatusEnum } from './workflow.schema.ts';

const TaskStatusEnum = lowercaseEnum('TaskStatus', ['queued', 'running', 'waiting', 'succeeded', 'failed', 'skipped', 'cancelled'] as const);
const ApprovalStatusEnum = lowercaseEnum('ApprovalStatus', ['pending', 'approved', 'rejected', 'timed_out', 'cancelled'] as const);

type TaskRow = Awaited<ReturnType<typeof tasksOfRun>>[number];
type ApprovalRow = NonNullable<Awaited<ReturnType<typeof findApproval>>>;
const usd = (v: string) => usdStringToNano(v) / 1e9;

export const ApprovalRef = builder.objectRef<ApprovalRow>('Approval');
builder.node(ApprovalRef, {
  id: { resolve: (a) => a.id },
  fields: (t) => ({
    run: t.field({ type: RunRef, resolve: async (a, _x, ctx) => (await findRun(ctx.deps.db, a.organization_id, a.run_id))! }),
    nodeId: t.exposeString('node_id'),
    message: t.exposeString('message'),
    details: t.field({ type: 'JSON', nullable: true, resolve: (a) => a.details ?? null }),
    assigneeRole: t.field({ type: RoleEnum, resolve: (a) => a.assignee_role }),
    status: t.field({ type: ApprovalStatusEnum, resolve: (a) => a.status }),
    comment: t.exposeString('comment', { nullable: true }),
    decidedBy: t.field({ type: UserRef, nullable: true, resolve: (a, _x, ctx) => (a.decided_by ? findUserById(ctx.deps.db, a.decided_by) : null) }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    decidedAt: t.expose('decided_at', { type: 'DateTime', nullable: true }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.expires_at }),
  }),
});

const TaskRef = builder.objectRef<TaskRow>('Task').implement({
  fields: (t) => ({
    id: t.id({ resolve: (x) => toGlobalId('Task', x.id) }),
    nodeId: t.exposeString('node_id'),
    nodeType: t.exposeString('node_type'),
    status: t.field({ type: TaskStatusEnum, resolve: (x) => x.status }),
    attempts: t.exposeInt('attempts'),
    input: t.field({ type: 'JSON', nullable: true, resolve: (x) => x.input ?? null }),
    output: t.field({ type: 'JSON', nullable: true, resolve: (x) => x.output ?? null }),
    outputPort: t.exposeString('output_port', { nullable: true }),
    error: t.exposeString('error', { nullable: true }),
    inputTokens: t.exposeInt('input_tokens'),
    outputTokens: t.exposeInt('output_tokens'),
    costUsd: t.float({ resolve: (x) => usd(x.cost_usd) }),
    startedAt: t.expose('started_at', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finished_at', { type: 'DateTime', nullable: true }),
    durationMs: t.int({ nullable: true, resolve: (x) => (x.started_at && x.finished_at ? x.finished_at.getTime() - x.started_at.getTime() : null) }),
    approval: t.field({ type: ApprovalRef, nullable: true, resolve: async (x, _a, ctx) => (x.node_type === 'approval' ? (await approvalOfTask(ctx.deps.db, x.organization_id, x.id)) ?? null : null) }),
  }),
});

const RunEventRef = builder.objectRef<RunEvent>('RunEvent').implement({
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Rises monotonically within a run: resume with after: id' }),
    runId: t.id({ resolve: (e) => toGlobalId('Run', e.runId) }),
    type: t.exposeString('type'),
    nodeId: t.exposeString('nodeId', { nullable: true }),
    taskId: t.id({ nullable: true, resolve: (e) => (e.taskId ? toGlobalId('Task', e.taskId) : null) }),
    message: t.exposeString('message', { nullable: true }),
    data: t.field({ type: 'JSON', nullable: true, resolve: (e) => e.data ?? null }),
    createdAt: t.field({ type: 'DateTime', resolve: (e) => e.createdAt }),
  }),
});

builder.node(RunRef, {
  id: { resolve: (r) => r.id },
  fields: (t) => ({
    workflow: t.field({ type: WorkflowRef, resolve: async (r, _a, ctx) => (await findWorkflow(ctx.deps.db, r.organization_id, r.workflow_id))! }),
    workflowVersion: t.exposeInt('workflow_version'),
    status: t.field({ type: RunStatusEnum, resolve: (r) => r.status }),
    trigger: t.string({ resolve: (r) => r.trigger.toUpperCase() }),
    input: t.field({ type: 'JSON', resolve: (r) => r.input }),
    output: t.field({ type: 'JSON', nullable: true, resolve: (r) => r.output ?? null }),
    error: t.exposeString('error', { nullable: true }),
    errorCode: t.exposeString('error_code', { nullable: true }),
    inputTokens: t.exposeInt('input_tokens'),
    outputTokens: t.exposeInt('output_tokens'),
    costUsd: t.float({ resolve: (r) => usd(r.cost_usd) }),
    startedBy: t.field({ type: UserRef, nullable: true, resolve: (r, _a, ctx) => (r.started_by ? findUserById(ctx.deps.db, r.started_by) : null) }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    startedAt: t.expose('started_at', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finished_at', { type: 'DateTime', nullable: true }),
    tasks: t.field({ type: [TaskRef], resolve: (r, _a, ctx) => tasksOfRun(ctx.deps.db, r.organization_id, r.id) }),
    events: t.field({ type: [RunEventRef], args: { after: t.arg.int() }, resolve: (r, a, ctx) => eventsOfRun(ctx.deps.db, r.organization_id, r.id, a.after ?? 0) }),
  }),
});

type Stats = Awaited<ReturnType<typeof runStats>>;
const RunDayRef = builder.objectRef<Stats['days'][number]>('RunDay').implement({
  fields: (t) => ({
    date: t.exposeString('date'), runs: t.exposeInt('runs'), succeeded: t.exposeInt('succeeded'), failed: t.exposeInt('failed'),
    inputTokens: t.exposeInt('inputTokens'), outputTokens: t.exposeInt('outputTokens'), costUsd: t.exposeFloat('costUsd'),
  }),
});
const RunStatsRef = builder.objectRef<Stats>('RunStats').implement({
  fields: (t) => ({
    running: t.exposeInt('running'), waiting: t.exposeInt('waiting'), succeeded: t.exposeInt('succeeded'), failed: t.exposeInt('failed'), cancelled: t.exposeInt('cancelled'),
    successRate: t.exposeFloat('successRate', { nullable: true }),
    days: t.expose('days', { type: [RunDayRef] }),
    recentFailures: t.field({ type: [RunRef], resolve: (s) => s.recentFailures as Run[] }),
  }),
});

const StartRunInput = builder.inputType('StartRunInput', {
  fields: (t) => ({ workflowId: t.id({ required: true }), input: t.field({ type: 'JSON' }) }),
});

const runId = (id: string) => fromGlobalId(id, 'Run');

builder.queryFields((t) => ({
  runs: t.connection({
    ...access('workflows:read'),
    type: RunRef,
    args: { workflowId: t.arg.id(), status: t.arg({ type: RunStatusEnum }), since: t.arg({ type: 'DateTime' }), until: t.arg({ type: 'DateTime' }) },
    description: 'Runs of the active organization, newest first',
    resolve: (_r, args, ctx) => resolveCursorConnection({ args, toCursor: (r: Run) => r.id, defaultSize: 50, maxSize: 200 },
      (page: ResolveCursorConnectionArgs) => listRuns(ctx.deps.db, ctx.caller.organizationId!, page, {
        workflowId: args.workflowId ? fromGlobalId(args.workflowId, 'Workflow') : undefined, status: args.status, since: args.since, until: args.until,
      })),
  }),
  run: t.field({
    ...access('workflows:read'), type: RunRef, nullable: true, args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, ctx) => (await findRun(ctx.deps.db, ctx.caller.organizationId!, runId(id))) ?? null,
  }),
  pendingApprovals: t.field({
    ...access('workflows:read'), type: [ApprovalRef], description: 'Pending approvals your role may decide, oldest first',
    resolve: (_r, _a, ctx) => pendingApprovals(ctx.deps.db, ctx.caller.organizationId!, ctx.caller.role!),
  }),
  runStats: t.field({
    ...access('workflows:read'), type: RunStatsRef, args: { days: t.arg.int() },
    resolve: (_r, { days }, ctx) => runStats(ctx.deps.db, ctx.caller.organizationId!, days ?? 14),
  }),
}));

builder.mutationFields((t) => ({
  startRun: t.field({
    ...access('runs:start'), type: RunRef, args: { input: t.arg({ type: StartRunInput, required: true }) },
    description: 'Runs an active workflow (or a draft with a valid definition, as a test run)',
    resolve: (_r, { input }, ctx) => startWorkflowRun(ctx.deps, ctx.caller, ctx.caller.organizationId!, fromGlobalId(String(input.workflowId), 'Workflow'), input.input ?? {}, 'manual'),
  }),
  cancelRun: t.field({ ...access('runs:manage'), type: RunRef, args: { id: t.arg.id({ required: true }) }, resolve: (_r, { id }, ctx) => cancelRun(ctx.deps, ctx.caller, runId(id)) }),
  retryRun: t.field({
    ...access('runs:manage'), type: RunRef, args: { id: t.arg.id({ required: true }) }, description: 'From the failed node, keeping completed work',
    resolve: (_r, { id }, ctx) => retryRun(ctx.deps, ctx.caller, runId(id)),
  }),
  approveStep: t.field({
    ...access('approvals:decide'), type: ApprovalRef, args: { approvalId: t.arg.id({ required: true }), comment: t.arg.string() },
    resolve: (_r, a, ctx) => decideApproval(ctx.deps, ctx.caller, fromGlobalId(a.approvalId, 'Approval'), true, a.comment),
  }),
  rejectStep: t.field({
    ...access('approvals:decide'), type: ApprovalRef, args: { approvalId: t.arg.id({ required: true }), comment: t.arg.string() },
    resolve: (_r, a, ctx) => decideApproval(ctx.deps, ctx.caller, fromGlobalId(a.approvalId, 'Approval'), false, a.comment),
  }),
}));

const TERMINAL = new Set(['run.succeeded', 'run.failed', 'run.cancelled']);

builder.subscriptionFields((t) => ({
  runEvents: t.field({
    ...access('workflows:read'),
    type: RunEventRef,
    args: { runId: t.arg.id({ required: true }), after: t.arg.int({ description: 'The last event id you have; stored events after it are replayed first' }) },
    description: "A run's events: stored ones after `after`, then live ones; never a gap or a duplicate. Ends after the run ends.",
    subscribe: async (_r, args, ctx) => {
      const run = await findRun(ctx.deps.db, ctx.caller.organizationId!, runId(args.runId));
      if (!run) throw notFound('Run');
      if (args.after !== null && args.after !== undefined && args.after < 0) throw badInput('after must be 0 or more');
      return replayThenFollow({
        live: ctx.deps.events.pubsub.subscribe(`run:${run.id}`),
        replay: () => eventsOfRun(ctx.deps.db, run.organization_id, run.id, args.after ?? 0),
        materialize: async (n) => (n.event ? (n.event as unknown as RunEvent) : (await eventsOfRun(ctx.deps.db, run.organization_id, run.id, n.id - 1))[0]!),
        isLast: (e) => TERMINAL.has(e.type),
        // The run ended at or before `after`: its last event will never come again.
        endedBefore: async () => Boolean(await ctx.deps.db.selectFrom('run_events').select('id').where('run_id', '=', run.id)
          .where('type', 'in', [...TERMINAL]).where('id', '<=', String(args.after ?? 0)).executeTakeFirst()),
        noticeSeq: (n) => n.id,
        eventSeq: (e) => e.id,
      });
    },
    resolve: (e) => e,
  }),
  organizationRunEvents: t.field({
    ...access('workflows:read'),
    type: RunEventRef,
    description: 'Live events of every run of the active organization (for dashboards)',
    subscribe: (_r, _a, ctx) => {
      const live = ctx.deps.events.pubsub.subscribe(`orgRuns:${ctx.caller.organizationId!}`);
      return new Repeater<RunEvent>(async (push, stop) => {
        void stop.then(() => live.return());
        for await (const notice of live) {
          const event = notice.event ? (notice.event as unknown as RunEvent) : (await eventsOfRun(ctx.deps.db, ctx.caller.organizationId!, notice.runId, notice.id - 1))[0];
          if (event) await push(event);
        }
        stop();
      });
    },
    resolve: (e) => e,
  }),
}));
