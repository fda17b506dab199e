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

const qualifiedRule = () => definition.nodes.find((n) => n.id === 'qualified')!.config as { combinator: 'all' | 'any'; rules: Rule[] };
const isQualified = (text: string) => conditionHolds(qualifiedRule(), { input: {}, nodes: { qualify: { output: { text } } } });

describe('the lead-qualification workflow template', () => {
  it('packs to a valid workflow template without code or permissions', async () => {
    const packed = await packPlugin(PLUGIN_DIR);
    expect(verifyPacked(packed)).toMatchObject({ ok: true });
    expect(validateManifest(packed.manifest)).toMatchObject({ ok: true });
    expect(packed.manifest).toMatchObject({ name: 'lead-qualification', kind: 'workflow_template', tools: [], permissions: { network: [], secrets: [] } });
    expect(packed.bundle).toBe('');
  });

  it('is a valid workflow once its agent is installed (the server\'s own checks)', () => {
    const { definition: def, agentIds } = installed();
    expect(validateDefinition(def, { agentIds, toolNames: new Set() })).toEqual([]);
  });

  it('goes trigger -> qualify agent -> score 70+? -> sales or nurture', () => {
    expect(definition.nodes.map((n) => [n.id, n.type])).toEqual([['lead', 'trigger'], ['qualify', 'agent'], ['qualified', 'condition'], ['to_sales', 'output'], ['to_nurture', 'output']]);
    expect(definition.edges.map((e) => `${e.source}.${e.sourceOutput} -> ${e.target}.${e.targetInput}`)).toEqual([
      'lead.out -> qualify.in',
      'qualify.out -> qualified.in',
      'qualified.true -> to_sales.in',
      'qualified.false -> to_nurture.in',
    ]);
  });

  it('embeds the agent its node names, with a catalog model', () => {
    expect(definition.nodes.find((n) => n.type === 'agent')!.config.agentId).toBe('template:qualifier');
    const agent = template.agents!['qualifier']!;
    expect(isKnownModel(agent.model)).toBe(true);
    expect(agent.tools).toEqual([]);
    expect(agent.instructions).toContain('SCORE: <0-100>');
  });

  it('routes scores of 70 to 100 to sales', () => {
    for (const score of ['70', '71', '85', '99', '100', '**92**']) expect(isQualified(`SCORE: ${score}\nTIER: hot`), score).toBe(true);
    for (const score of ['0', '7', '69', '700', '1000', '65.5']) expect(isQualified(`SCORE: ${score}\nTIER: cold`), score).toBe(false);
    expect(isQualified('Summary first.\nSCORE: 88\nTIER: hot')).toBe(true);
    expect(isQualified('SCORE: 40\nNEXT STEP: revisit when the budget reaches 80k')).toBe(false);
    expect(isQualified('')).toBe(false);
  });

  it('puts the lead and the assessment in the output', () => {
    const scope = { input: { name: 'Ana Silva', email: 'ana@acme.example', company: 'Acme' }, nodes: { qualify: { output: { text: 'SCORE: 82\nTIER: hot' } } } };
    expect(resolveTemplates(definition.nodes.find((n) => n.id === 'to_sales')!.config.value, scope)).toEqual({
      route: 'sales', qualified: true, name: 'Ana Silva', email: 'ana@acme.example', company: 'Acme', assessment: 'SCORE: 82\nTIER: hot',
    });
    const prompt = resolveTemplates(definition.nodes.find((n) => n.id === 'qualify')!.config.prompt, scope);
    expect(prompt).toContain('Name: Ana Silva\nEmail: ana@acme.example\nCompany: Acme\nRole: \n');
  });
});
