import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { PackedPlugin } from '@agentflow/plugin-sdk';
import { AppError, ErrorCode } from '../../lib/errors.ts';
import { MAX_OUTPUT_BYTES, modelToolName, runTool, toolIdOfModelName, toolSpec } from './registry.ts';
import type { Tool, ToolContext } from './types.ts';

const ctx = (signal: AbortSignal = new AbortController().signal): ToolContext => ({ organizationId: 'org-1', signal });

/** A test tool with a one-string-property schema whose run is `run`. */
const fakeTool = (run: Tool['run'], name = 'fake'): Tool => ({
  name,
  description: 'A test tool',
  inputSchema: { type: 'object', properties: { text: { type: 'string', description: 'Anything' } }, required: ['text'], additionalProperties: false },
  run,
});

/** The built-in tools are the first-party core plugin's, as packed in the repository. */
const core = JSON.parse(readFileSync(new URL('../../../../plugins/core/dist/core.agentflow.json', import.meta.url), 'utf8')) as PackedPlugin;
const builtin = (name: string, run: Tool['run'] = async () => null): Tool => ({ ...core.manifest.tools.find((t) => t.name === name)!, run });
const calculator = builtin('calculator', async ({ expression }) => {
  if (expression === '1/0') throw new AppError(ErrorCode.BAD_USER_INPUT, 'Division by zero at position 2');
  return { expression, result: 42 };
});

describe('tool names', () => {
  it('maps plugin tool ids to names every provider accepts, and back', () => {
    expect(modelToolName('slack.post_message')).toBe('slack__post_message');
    expect(toolIdOfModelName('slack__post_message')).toBe('slack.post_message');
    expect(modelToolName('calculator')).toBe('calculator');
    expect(toolIdOfModelName('current_time')).toBe('current_time');
    expect(toolSpec(calculator)).toEqual({ name: 'calculator', description: expect.any(String), inputSchema: expect.any(Object) });
    expect(toolSpec({ ...calculator, name: 'custom-a-b.a_b' }).name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });

  it('keeps long ids within the 64 characters providers accept, distinct and reversible among the offered tools', () => {
    const long = `custom-${'a'.repeat(40)}.${'a'.repeat(40)}`;
    const other = `custom-${'a'.repeat(40)}.${'a'.repeat(39)}b`;
    const name = modelToolName(long);
    expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(name).not.toBe(modelToolName(other));
    expect(toolIdOfModelName(name, [other, long])).toBe(long);
    expect(toolIdOfModelName('slack__post_message', [long])).toBe('slack.post_message');
  });
});

describe('the built-in (core plugin) tools', () => {
  it.each(core.manifest.tools.map((t) => [t.name, builtin(t.name)] as const))('%s has a schema every provider accepts', (_name, tool) => {
    expect(tool.name).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
    expect(tool.description.length).toBeGreaterThan(20);
    const schema = tool.inputSchema as { type: string; properties: Record<string, { type: string; description?: string }>; additionalProperties: boolean; required?: string[] };
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    for (const [key, prop] of Object.entries(schema.properties)) {
      expect(prop.description, key).toBeTruthy();
      expect(['string', 'number', 'integer', 'boolean', 'array', 'object']).toContain(prop.type);
    }
    for (const key of schema.required ?? []) expect(Object.keys(schema.properties)).toContain(key);
    // Keywords outside the common subset (OpenAI, Anthropic, Gemini) would be rejected by one of them.
    const allowed = new Set(['type', 'properties', 'required', 'additionalProperties', 'description', 'minLength', 'maxLength', 'enum', 'minimum', 'maximum', 'items']);
    const keywords = [...Object.keys(schema), ...Object.values(schema.properties).flatMap((p) => Object.keys(p))];
    for (const k of keywords) expect(allowed, k).toContain(k);
    expect(() => new Ajv({ strict: true }).compile(tool.inputSchema)).not.toThrow();
  });
});

describe('runTool', () => {
  it('runs a tool with valid input', async () => {
    await expect(runTool(calculator, { expression: '6*7' }, ctx())).resolves.toEqual({ ok: true, output: { expression: '6*7', result: 42 } });
  });

  it('refuses input that is not a JSON object before running the tool (the schema is checked where the tool runs)', async () => {
    let ran = false;
    const tool = fakeTool(async () => { ran = true; return null; });
    await expect(runTool(tool, 'oops', ctx())).resolves.toEqual({ ok: false, error: 'Invalid input for tool fake: the input must be a JSON object' });
    await expect(runTool(tool, [1], ctx())).resolves.toMatchObject({ ok: false });
    expect(ran).toBe(false);
  });

  it('passes AppError messages through and wraps other errors', async () => {
    await expect(runTool(calculator, { expression: '1/0' }, ctx())).resolves.toEqual({ ok: false, error: 'Division by zero at position 2' });
    const broken = fakeTool(async () => {
      throw new TypeError('cannot read x of undefined');
    });
    await expect(runTool(broken, { text: 'a' }, ctx())).resolves.toEqual({ ok: false, error: 'Tool fake failed: cannot read x of undefined' });
    const rude = fakeTool(async () => {
      throw 'a string';
    });
    await expect(runTool(rude, { text: 'a' }, ctx())).resolves.toEqual({ ok: false, error: 'Tool fake failed: a string' });
  });

  it('gives the tool the context', async () => {
    let seen: ToolContext | undefined;
    const tool = fakeTool(async (input, c) => {
      seen = c;
      return input;
    });
    const context = ctx();
    await expect(runTool(tool, { text: 'hi' }, context)).resolves.toEqual({ ok: true, output: { text: 'hi' } });
    expect(seen).toBe(context);
  });

  it('does not run a tool when the signal is already aborted', async () => {
    let ran = false;
    const tool = fakeTool(async () => {
      ran = true;
      return 1;
    });
    const controller = new AbortController();
    controller.abort();
    await expect(runTool(tool, { text: 'a' }, ctx(controller.signal))).resolves.toEqual({ ok: false, error: 'Tool fake was cancelled' });
    expect(ran).toBe(false);
  });

  it('stops waiting when the signal aborts mid-run', async () => {
    const controller = new AbortController();
    const never = fakeTool(() => new Promise(() => {}));
    const pending = runTool(never, { text: 'a' }, ctx(controller.signal));
    setImmediate(() => controller.abort());
    await expect(pending).resolves.toEqual({ ok: false, error: 'Tool fake was cancelled' });
  });

  it('caps the output size', async () => {
    const big = fakeTool(async () => ({ data: 'x'.repeat(MAX_OUTPUT_BYTES) }));
    await expect(runTool(big, { text: 'a' }, ctx())).resolves.toEqual({ ok: false, error: 'Tool fake returned too much output (33 KB; the limit is 32 KB)' });
    const justFits = fakeTool(async () => 'x'.repeat(MAX_OUTPUT_BYTES - 2));
    await expect(runTool(justFits, { text: 'a' }, ctx())).resolves.toMatchObject({ ok: true });
    // Bytes, not characters: 11,000 three-byte characters are 33,000 bytes.
    const wide = fakeTool(async () => '€'.repeat(11_000));
    await expect(runTool(wide, { text: 'a' }, ctx())).resolves.toMatchObject({ ok: false });
  });

  it('returns plain JSON, and rejects output that is not JSON', async () => {
    const dated = fakeTool(async () => ({ at: new Date('2026-01-01T00:00:00Z'), nothing: undefined }));
    await expect(runTool(dated, { text: 'a' }, ctx())).resolves.toEqual({ ok: true, output: { at: '2026-01-01T00:00:00.000Z' } });
    await expect(runTool(fakeTool(async () => undefined), { text: 'a' }, ctx())).resolves.toEqual({ ok: true, output: null });
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    await expect(runTool(fakeTool(async () => cyclic), { text: 'a' }, ctx())).resolves.toMatchObject({ ok: false, error: expect.stringMatching(/^Tool fake returned output that is not JSON/) });
    await expect(runTool(fakeTool(async () => 10n), { text: 'a' }, ctx())).resolves.toMatchObject({ ok: false });
  });
});
