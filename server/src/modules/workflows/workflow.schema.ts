import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { access } from '../../graphql/access.ts';
import { builder } from '../../graphql/builder.ts';
import { fromGlobalId } from '../../graphql/ids.ts';
import { RunRef, UserRef, WorkflowRef } from '../../graphql/refs.ts';
import { lowercaseEnum } from '../../graphql/scalars.ts';
import { notFound } from '../../lib/errors.ts';
import type { Problem } from '../../workflows/definition.ts';
import { findUserById } from '../auth/user.repository.ts';
import { listRuns, type Run } from './run.service.ts';
import { rotateWebhookSecret, webhookUrl } from './webhook.service.ts';
import {
  archiveWorkflow, createWorkflow, diffWorkflowVersions, findWorkflow, listWorkflows, listWorkflowVersions, updateWorkflow, validateWorkflow,
  type FieldChange, type Workflow, type WorkflowVersion,
} from './workflow.service.ts';

export const WorkflowStatusEnum = lowercaseEnum('WorkflowStatus', ['draft', 'active', 'archived'] as const);
export const RunStatusEnum = lowercaseEnum('RunStatus', ['queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'] as const);

const WorkflowVersionRef = builder.objectRef<WorkflowVersion>('WorkflowVersion').implement({
  fields: (t) => ({
    version: t.exposeInt('version'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    definition: t.field({ type: 'JSON', resolve: (v) => v.definition }),
    status: t.expose('status', { type: WorkflowStatusEnum }),
    createdBy: t.field({ type: UserRef, nullable: true, resolve: (v, _a, ctx) => (v.createdBy ? findUserById(ctx.deps.db, v.createdBy) : null) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.node(WorkflowRef, {
  id: { resolve: (w) => w.id },
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    definition: t.field({ type: 'JSON', description: 'See schemas/workflow-definition.schema.json', resolve: (w) => w.definition }),
    status: t.expose('status', { type: WorkflowStatusEnum }),
    version: t.exposeInt('version'),
    webhookUrl: t.string({
      nullable: true, description: 'Where a webhook trigger is called (POST), when the trigger is a webhook',
      resolve: (w, _a, ctx) => (w.definition.nodes.some((n) => n.type === 'trigger' && n.config.kind === 'webhook') ? webhookUrl(ctx.deps.config, w.id) : null),
    }),
    createdBy: t.field({ type: UserRef, nullable: true, resolve: (w, _a, ctx) => (w.createdBy ? findUserById(ctx.deps.db, w.createdBy) : null) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    versions: t.field({ type: [WorkflowVersionRef], description: 'Newest first', resolve: (w, _a, ctx) => listWorkflowVersions(ctx.deps.db, w.organizationId, w.id) }),
    runs: t.connection({
      type: RunRef,
      description: 'Newest first',
      resolve: (w, args, ctx) => resolveCursorConnection({ args, toCursor: (r: Run) => r.id, defaultSize: 20, maxSize: 200 },
        (page: ResolveCursorConnectionArgs) => listRuns(ctx.deps.db, w.organizationId, page, { workflowId: w.id })),
    }),
  }),
});

const FieldChangeRef = builder.objectRef<FieldChange>('WorkflowFieldChange').implement({
  fields: (t) => ({
    field: t.exposeString('field', { description: 'name, description, status, nodes.<id> or edges.<id>' }),
    before: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.before }),
    after: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.after }),
  }),
});
const DiffRef = builder.objectRef<{ from: number; to: number; changes: FieldChange[] }>('WorkflowVersionDiff').implement({
  fields: (t) => ({ from: t.exposeInt('from'), to: t.exposeInt('to'), changes: t.expose('changes', { type: [FieldChangeRef] }) }),
});
const ProblemRef = builder.objectRef<Problem>('WorkflowProblem').implement({
  fields: (t) => ({
    message: t.exposeString('message'),
    nodeId: t.string({ nullable: true, resolve: (p) => p.nodeId ?? null }),
    edgeId: t.string({ nullable: true, resolve: (p) => p.edgeId ?? null }),
    path: t.string({ nullable: true, resolve: (p) => p.path ?? null }),
  }),
});
const ValidationRef = builder.objectRef<Problem[]>('WorkflowValidation').implement({
  fields: (t) => ({ valid: t.boolean({ resolve: (p) => p.length === 0 }), problems: t.field({ type: [ProblemRef], resolve: (p) => p }) }),
});
const WebhookSecretRef = builder.objectRef<{ url: string; secret: string }>('WebhookSecret').implement({
  fields: (t) => ({ url: t.exposeString('url'), secret: t.exposeString('secret', { description: 'Shown once: send it as X-AgentFlow-Secret, or sign the body with it (X-AgentFlow-Signature: sha256=<hex HMAC>)' }) }),
});

const CreateWorkflowInput = builder.inputType('CreateWorkflowInput', {
  fields: (t) => ({ name: t.string({ required: true }), description: t.string(), definition: t.field({ type: 'JSON', description: 'Default: a manual trigger wired to an output' }) }),
});
const UpdateWorkflowInput = builder.inputType('UpdateWorkflowInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    expectedVersion: t.int({ required: true }),
    name: t.string(),
    description: t.string(),
    definition: t.field({ type: 'JSON' }),
    status: t.field({ type: WorkflowStatusEnum, description: 'DRAFT or ACTIVE; ACTIVE needs a valid definition' }),
  }),
});

const workflowId = (id: string) => fromGlobalId(id, 'Workflow');

builder.queryFields((t) => ({
  workflows: t.connection({
    ...access('workflows:read'),
    type: WorkflowRef,
    args: { status: t.arg({ type: WorkflowStatusEnum }), search: t.arg.string() },
    description: 'Workflows of the active organization, last updated first; archived ones only when asked for by status',
    resolve: (_r, args, ctx) => resolveCursorConnection({ args, toCursor: (w: Workflow) => w.id, defaultSize: 50, maxSize: 200 },
      (page: ResolveCursorConnectionArgs) => listWorkflows(ctx.deps.db, ctx.caller.organizationId!, page, { status: args.status, search: args.search })),
  }),
  workflow: t.field({
    ...access('workflows:read'), type: WorkflowRef, nullable: true, args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, { id }, ctx) => (await findWorkflow(ctx.deps.db, ctx.caller.organizationId!, workflowId(id))) ?? null,
  }),
  workflowVersionDiff: t.field({
    ...access('workflows:read'), type: DiffRef, args: { workflowId: t.arg.id({ required: true }), from: t.arg.int({ required: true }), to: t.arg.int({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const workflow = await findWorkflow(ctx.deps.db, ctx.caller.organizationId!, workflowId(args.workflowId));
      if (!workflow) throw notFound('Workflow');
      return { from: args.from, to: args.to, changes: await diffWorkflowVersions(ctx.deps.db, workflow.organizationId, workflow.id, args.from, args.to) };
    },
  }),
  validateWorkflow: t.field({
    ...access('workflows:read'), type: ValidationRef, args: { definition: t.arg({ type: 'JSON', required: true }) },
    description: 'Every problem of a definition, each with the node or edge it concerns',
    resolve: (_r, { definition }, ctx) => validateWorkflow(ctx.deps.db, ctx.caller.organizationId!, definition),
  }),
}));

builder.mutationFields((t) => ({
  createWorkflow: t.field({
    ...access('workflows:manage'), type: WorkflowRef, args: { input: t.arg({ type: CreateWorkflowInput, required: true }) },
    resolve: (_r, { input }, ctx) => createWorkflow(ctx.deps, ctx.caller, input),
  }),
  updateWorkflow: t.field({
    ...access('workflows:manage'), type: WorkflowRef, args: { input: t.arg({ type: UpdateWorkflowInput, required: true }) },
    description: 'Saves a new immutable version; a stale expectedVersion is CONFLICT',
    resolve: (_r, { input }, ctx) => updateWorkflow(ctx.deps, ctx.caller, workflowId(String(input.id)), { ...input, id: undefined }),
  }),
  archiveWorkflow: t.field({
    ...access('workflows:manage'), type: WorkflowRef, args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => archiveWorkflow(ctx.deps, ctx.caller, workflowId(id)),
  }),
  rotateWebhookSecret: t.field({
    ...access('workflows:manage', { peopleOnly: true }), type: WebhookSecretRef, args: { workflowId: t.arg.id({ required: true }) },
    description: 'A new webhook secret (the old one stops working), shown once',
    resolve: (_r, args, ctx) => rotateWebhookSecret(ctx.deps, ctx.caller, workflowId(args.workflowId)),
  }),
}));
