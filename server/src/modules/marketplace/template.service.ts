import type { AgentTemplate } from '@agentflow/plugin-sdk';
import type { Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';
import type { Caller, Deps } from '../../graphql/context.ts';
import { toGlobalId } from '../../graphql/ids.ts';
import { badInput } from '../../lib/errors.ts';
import { createAgent, type Agent } from '../agents/agent.service.ts';
import { writeAudit } from '../audit/audit.service.ts';
import { createWorkflow, type Workflow } from '../workflows/workflow.service.ts';
import { assertInstallable, pinInstallation, requireVisibleListing, resolveVersion, type Installation } from './installation.service.ts';

export interface TemplateInstallation { installation: Installation; agents: Agent[]; workflow: Workflow | null }

const TEMPLATE_REF = 'template:';

/**
 * The agents and workflows services each open their own transaction. A template must create all
 * its agents, its workflow and the installation or nothing (the active-agent quota can stop it
 * half-way), so they run with a `db` whose `transaction()` joins ours instead: their checks, rows
 * and audit entries commit or roll back with the template's.
 */
function joining(trx: Transaction<Database>): Db {
  const join = { execute: <T>(fn: (t: Transaction<Database>) => Promise<T>) => fn(trx) };
  return new Proxy(trx, {
    get(target, prop) {
      if (prop === 'transaction') return () => join;
      const value = Reflect.get(target, prop, target) as unknown;
      // Kysely keeps its state in private fields: methods must run on the real object.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as unknown as Db;
}

const agentInput = (template: AgentTemplate, model: string | null) => ({
  name: template.name, role: template.role, instructions: template.instructions, model: model ?? template.model, tools: template.tools,
  ...(template.config ? { config: template.config } : {}),
});

/** Points the definition's `template:<key>` agent nodes at the agents just created (by global ID, as the web app stores them). */
function linkAgents(definition: Record<string, unknown>, agentIds: Map<string, string>): Record<string, unknown> {
  const copy = structuredClone(definition) as { nodes?: { id?: unknown; type?: unknown; config?: Record<string, unknown> }[] };
  for (const node of Array.isArray(copy.nodes) ? copy.nodes : []) {
    const ref = node.config?.agentId;
    if (node.type !== 'agent' || typeof ref !== 'string' || !ref.startsWith(TEMPLATE_REF)) continue;
    const id = agentIds.get(ref.slice(TEMPLATE_REF.length));
    if (!id) throw badInput(`The template's node ${String(node.id)} names ${ref}, which the template does not define`);
    node.config!.agentId = toGlobalId('Agent', id);
  }
  return copy as Record<string, unknown>;
}

/**
 * The template's agents in the order its nodes use them (then any unused ones by key): stored
 * manifests are jsonb, which does not keep the author's key order.
 */
function agentKeysInOrder(definition: Record<string, unknown>, agents: Record<string, AgentTemplate>): string[] {
  const nodes = Array.isArray(definition.nodes) ? (definition.nodes as { config?: { agentId?: unknown } }[]) : [];
  const used = nodes.map((n) => n.config?.agentId).filter((ref): ref is string => typeof ref === 'string' && ref.startsWith(TEMPLATE_REF)).map((ref) => ref.slice(TEMPLATE_REF.length));
  return [...new Set([...used, ...Object.keys(agents).sort()])].filter((key) => Object.hasOwn(agents, key));
}

/**
 * Installs an agent or workflow template: creates its agents (with `model` instead of the
 * template's model, when given) and its workflow as a draft, in the organization, and records
 * the installation at the template's latest version. Installing again creates another copy.
 */
export async function installTemplate(deps: Deps, caller: Caller, input: { listingId: string; model?: string | null }): Promise<TemplateInstallation> {
  const orgId = caller.organizationId!;
  const model = input.model?.trim() || null;
  return deps.db.transaction().execute(async (trx) => {
    const listing = await requireVisibleListing(trx, orgId, input.listingId);
    if (listing.kind === 'plugin') throw badInput(`${listing.name} is a plugin, not a template: install it with installPlugin`);
    assertInstallable(listing);
    const version = await resolveVersion(trx, listing);
    const joined: Deps = { ...deps, db: joining(trx) };
    const { manifest } = version;

    const agents: Agent[] = [];
    let workflow: Workflow | null = null;
    if (manifest.kind === 'agent_template' && manifest.agentTemplate) {
      agents.push(await createAgent(joined, caller, agentInput(manifest.agentTemplate, model)));
    } else if (manifest.kind === 'workflow_template' && manifest.workflowTemplate) {
      const template = manifest.workflowTemplate;
      const ids = new Map<string, string>();
      for (const key of agentKeysInOrder(template.definition, template.agents ?? {})) {
        const created = await createAgent(joined, caller, agentInput(template.agents![key]!, model));
        agents.push(created);
        ids.set(key, created.id);
      }
      workflow = await createWorkflow(joined, caller, { name: template.name, description: template.description ?? manifest.description, definition: linkAgents(template.definition, ids) });
    } else {
      throw badInput(`${listing.name} ${version.version} has no ${manifest.kind === 'agent_template' ? 'agentTemplate' : 'workflowTemplate'} in its manifest`);
    }

    const { installation } = await pinInstallation(trx, caller, listing, version);
    await writeAudit(trx, caller, {
      organizationId: orgId, action: 'template.install', targetType: 'PluginInstallation', targetId: installation.id,
      details: { name: listing.name, version: version.version, agents: agents.map((a) => a.id), workflow: workflow?.id ?? null, ...(model ? { model } : {}) },
    });
    return { installation, agents, workflow };
  });
}
