import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { WorkflowTemplate } from '@agentflow/plugin-sdk';
import { validateManifest } from '@agentflow/plugin-sdk/manifest';
import { packPlugin, verifyPacked } from '@agentflow/plugin-sdk/pack';
import { beforeAll, describe, expect, it } from 'vitest';
import { isKnownModel } from '../../../server/src/llm/catalog.ts';
import { conditionHolds, type Rule } from '../../../server/src/workflows/conditions.ts';
import { validateDefinition, type WorkflowDefinition } from '../../../server/src/workflows/definition.ts';
import { resolveTemplates } from '../../../server/src/workflows/templates.ts';

const PLUGIN_DIR = fileURLToPath(new URL('..', import.meta.url));

let template: WorkflowTemplate;
let definition: WorkflowDefinition;
beforeAll(async () => {
  template = (await packPlugin(PLUGIN_DIR)).manifest.workflowTemplate!;
  definition = template.definition as unknown as WorkflowDefinition;
});

/** The definition as installing it makes it: `template:<key>` agent ids become the new agents' ids. */
function installed(): { definition: WorkflowDefinition; agentIds: Set<string> } {
  const ids = new Map(Object.keys(template.agents ?? {}).map((key) => [`template:${key}`, randomUUID()]));
  const nodes = definition.nodes.map((n) => (n.type === 'agent' ? { ...n, config: { ...n.config, agentId: ids.get(n.config.agentId) ?? n.config.agentId } } : n));
  return { definition: { ...definition, nodes }, agentIds: new Set(ids.values()) };
}

const urgentRule = () => definition.nodes.find((n) => n.id === 'urgent')!.config as { combinator: 'all' | 'any'; rules: Rule[] };
const isUrgent = (text: string) => conditionHolds(urgentRule(), { input: {}, nodes: { triage: { output: { text } } } });

describe('the support-ticket-triage workflow template', () => {
  it('packs to a valid workflow template without code or permissions', async () => {
    const packed = await packPlugin(PLUGIN_DIR);
    expect(verifyPacked(packed)).toMatchObject({ ok: true });
    expect(validateManifest(packed.manifest)).toMatchObject({ ok: true });
    expect(packed.manifest).toMatchObject({ name: 'support-ticket-triage', kind: 'workflow_template', tools: [], permissions: { network: [], secrets: [] } });
    expect(packed.bundle).toBe('');
  });

  it('is a valid workflow once its agent is installed (the server\'s own checks)', () => {
    const { definition: def, agentIds } = installed();
    expect(validateDefinition(def, { agentIds, toolNames: new Set() })).toEqual([]);
  });

  it('goes trigger -> triage agent -> urgent? -> approval for urgent replies -> outputs', () => {
    expect(definition.nodes.map((n) => [n.id, n.type])).toEqual([
      ['ticket', 'trigger'], ['triage', 'agent'], ['urgent', 'condition'], ['approve_reply', 'approval'],
      ['reply_approved', 'output'], ['handle_manually', 'output'], ['queued', 'output'],
    ]);
    expect(definition.edges.map((e) => `${e.source}.${e.sourceOutput} -> ${e.target}.${e.targetInput}`)).toEqual([
      'ticket.out -> triage.in',
      'triage.out -> urgent.in',
      'urgent.true -> approve_reply.in',
      'urgent.false -> queued.in',
      'approve_reply.approved -> reply_approved.in',
      'approve_reply.rejected -> handle_manually.in',
    ]);
  });

  it('embeds the agent its node names, with a catalog model', () => {
    expect(definition.nodes.find((n) => n.type === 'agent')!.config.agentId).toBe('template:triage');
    expect(Object.keys(template.agents!)).toEqual(['triage']);
    const agent = template.agents!['triage']!;
    expect(isKnownModel(agent.model)).toBe(true);
    expect(agent.tools).toEqual([]);
    expect(agent.instructions).toContain('PRIORITY: <urgent|high|normal|low>');
  });

  it('routes on the PRIORITY line of the agent\'s answer', () => {
    expect(isUrgent('PRIORITY: urgent\nCATEGORY: outage\nSUMMARY: Checkout is down for all EU customers since 09:00.\nMISSING: none\nREPLY:\nHi Ana, ...')).toBe(true);
    expect(isUrgent('PRIORITY: Urgent\nCATEGORY: security')).toBe(true);
    expect(isUrgent('**PRIORITY:** **urgent**\nCATEGORY: billing')).toBe(true);
    expect(isUrgent('Here is the triage.\n\nPRIORITY: URGENT')).toBe(true);
    expect(isUrgent('PRIORITY: high\nCATEGORY: bug\nSUMMARY: The customer says this is urgent.')).toBe(false);
    expect(isUrgent('PRIORITY: normal\nREPLY:\nWe treat urgent issues first.')).toBe(false);
    expect(isUrgent('PRIORITY: urgently needs review')).toBe(false);
    expect(isUrgent('')).toBe(false);
  });

  it('does not mistake the simulated model\'s echo of a ticket for an urgent triage', () => {
    const prompt = resolveTemplates(definition.nodes.find((n) => n.id === 'triage')!.config.prompt, { input: { subject: 'URGENT: site down', body: 'Everything is urgent!', customerName: 'Ana', customerEmail: 'ana@example.com' }, nodes: {} });
    expect(prompt).toBe('Triage this support ticket.\n\nSubject: URGENT: site down\nFrom: Ana <ana@example.com>\n\nEverything is urgent!');
    expect(isUrgent(`Simulated reply: you said "${String(prompt).replace(/\s+/g, ' ')}".`)).toBe(false);
  });

  it('shows the approver the ticket and the proposed reply, and returns them', () => {
    const scope = {
      input: { subject: 'Checkout down', body: '...', customerName: 'Ana Silva', customerEmail: 'ana@example.com' },
      nodes: { triage: { output: { text: 'PRIORITY: urgent\nREPLY:\nHi Ana' } }, approve_reply: { output: { approved: true, decision: 'approved', comment: null, decidedBy: 'u1' } } },
    };
    const approval = definition.nodes.find((n) => n.id === 'approve_reply')!;
    expect(approval.config).toMatchObject({ assigneeRole: 'member', timeoutSeconds: 7200 });
    expect(resolveTemplates(approval.config.message, scope)).toContain('Urgent ticket from Ana Silva <ana@example.com>: Checkout down\n\nTriage and proposed reply:\n\nPRIORITY: urgent\nREPLY:\nHi Ana');
    expect(resolveTemplates(definition.nodes.find((n) => n.id === 'reply_approved')!.config.value, scope)).toEqual({
      status: 'reply_approved', priority: 'urgent', customerEmail: 'ana@example.com', subject: 'Checkout down', triage: 'PRIORITY: urgent\nREPLY:\nHi Ana',
      approval: { approved: true, decision: 'approved', comment: null, decidedBy: 'u1' },
    });
  });
});
