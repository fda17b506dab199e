import { fileURLToPath } from 'node:url';
import { validateManifest } from '@agentflow/plugin-sdk/manifest';
import { packPlugin, verifyPacked } from '@agentflow/plugin-sdk/pack';
import { describe, expect, it } from 'vitest';
import { isKnownModel } from '../../../server/src/llm/catalog.ts';
import core from '../../core/src/index.ts';

const PLUGIN_DIR = fileURLToPath(new URL('..', import.meta.url));

describe('the support-triage agent template', () => {
  it('packs to a valid agent template without code or permissions', async () => {
    const packed = await packPlugin(PLUGIN_DIR);
    expect(verifyPacked(packed)).toMatchObject({ ok: true });
    expect(validateManifest(packed.manifest)).toMatchObject({ ok: true });
    expect(packed.manifest).toMatchObject({ name: 'support-triage', version: '1.0.0', kind: 'agent_template', tools: [], permissions: { network: [], secrets: [] } });
    expect(packed.bundle).toBe('');
  });

  it('uses a catalog model and only tools every organization has (the core plugin\'s)', async () => {
    const { agentTemplate } = (await packPlugin(PLUGIN_DIR)).manifest;
    expect(isKnownModel(agentTemplate!.model)).toBe(true);
    const coreTools = core.tools.map((t) => t.name);
    for (const tool of agentTemplate!.tools) expect(coreTools).toContain(tool);
  });

  it('has instructions with sections an agent can follow', async () => {
    const { agentTemplate } = (await packPlugin(PLUGIN_DIR)).manifest;
    expect(agentTemplate!.role.length).toBeGreaterThan(20);
    expect(agentTemplate!.instructions).toMatch(/^You are /);
    expect(agentTemplate!.instructions.match(/^## /gm)?.length).toBeGreaterThanOrEqual(2);
  });
});
