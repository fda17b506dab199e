import { modelToolName } from '../tools/registry.ts';
import { ProviderError, type ChatMessage, type ChatRequest, type LlmProvider, type StopReason, type StreamEvent, type ToolCall } from '../types.ts';

/**
 * A deterministic scripted "model", so agents and workflows can be built and tested without API
 * keys or cost. Given the same request it always answers the same way:
 *
 *  a. after tool results: a sentence per result ("The calculator says 6*7 = 42.");
 *  b. a line `/tool <name> <json-args>` naming an offered tool: that tool call;
 *  c. with `calculator` offered and arithmetic in the message: a calculator call; with
 *     `current_time` offered and a question about the time or date: a current_time call;
 *  d. `/reply <text>`: exactly <text>;
 *  e. otherwise "Simulated reply: …" echoing the message.
 *
 * Text streams in word chunks (yielding to the event loop between them, so aborts are observed
 * mid-stream) and usage is estimated at four characters a token.
 */
export const simulatedProvider: LlmProvider = {
  id: 'simulated',
  stream: (request) => simulate(request),
};

type Plan = { text: string } | { calls: ToolCall[] };

async function* simulate(request: ChatRequest): AsyncGenerator<StreamEvent> {
  const { signal } = request;
  checkAborted(signal);
  const plan = respond(request);
  let outputChars = 0;
  let reason: StopReason = 'end';
  if ('calls' in plan) {
    for (const call of plan.calls) {
      await tick();
      checkAborted(signal);
      outputChars += call.name.length + JSON.stringify(call.arguments).length;
      yield { type: 'tool_call', call };
    }
    reason = 'tool_use';
  } else {
    // Honour the output budget like a real model: cut the text and say so.
    const budget = request.maxOutputTokens * CHARS_PER_TOKEN;
    let text = plan.text;
    if (text.length > budget) {
      text = text.slice(0, budget);
      reason = 'max_tokens';
    }
    for (const chunk of text.split(/(?<=\s)(?=\S)/).filter(Boolean)) {
      await tick();
      checkAborted(signal);
      outputChars += chunk.length;
      yield { type: 'text', delta: chunk };
    }
  }
  yield { type: 'usage', usage: { inputTokens: Math.ceil(inputChars(request) / CHARS_PER_TOKEN), outputTokens: Math.ceil(outputChars / CHARS_PER_TOKEN), cachedInputTokens: 0 } };
  yield { type: 'stop', reason };
}

const CHARS_PER_TOKEN = 4;

/** A macrotask turn (not a timer), so tests stay fast while an abort can land between chunks. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ProviderError('simulated', 'aborted', 'The request was aborted');
}

function inputChars(request: ChatRequest): number {
  let chars = request.system?.length ?? 0;
  for (const m of request.messages) {
    chars += m.content.length;
    if (m.role === 'assistant') for (const c of m.toolCalls ?? []) chars += c.name.length + JSON.stringify(c.arguments).length;
  }
  return chars;
}

// ---- the script -------------------------------------------------------------------------------

function respond(request: ChatRequest): Plan {
  const { messages } = request;
  const results = trailingToolResults(messages);
  if (results.length > 0) return { text: results.map(describeResult).join(' ') };

  const user = messages.findLast((m) => m.role === 'user')?.content;
  if (user === undefined) return { text: 'Simulated reply: there is no message to reply to.' };
  const offered = new Set((request.tools ?? []).map((t) => t.name));
  let nextId = previousCallCount(messages);
  const call = (name: string, args: Record<string, unknown>): ToolCall => ({ id: `sim_call_${++nextId}`, name, arguments: args });

  // b. /tool directives (several lines make parallel calls), naming a tool by its model name or
  // its id (`/tool slack.post_message {...}`).
  const offeredName = (name = '') => (offered.has(name) ? name : offered.has(modelToolName(name)) ? modelToolName(name) : undefined);
  const directives = [...user.matchAll(/^[ \t]*\/tool[ \t]+(\S+)[ \t]*(.*)$/gm)].filter((m) => offeredName(m[1]) !== undefined);
  if (directives.length > 0) {
    const calls: ToolCall[] = [];
    for (const [, id = '', rawArgs = ''] of directives) {
      const name = offeredName(id)!;
      const args = parseArgs(rawArgs.trim());
      if (typeof args === 'string') return { text: `Simulated reply: the arguments of /tool ${name} are not a JSON object (${args}).` };
      calls.push(call(name, args));
    }
    return { calls };
  }

  // c. Tool heuristics read the message without its /reply text.
  const replyAt = user.search(/\/reply\b/);
  const prose = replyAt === -1 ? user : user.slice(0, replyAt);
  if (offered.has('calculator')) {
    const expression = findArithmetic(prose);
    if (expression) return { calls: [call('calculator', { expression })] };
  }
  if (offered.has('current_time') && asksForTime(prose)) {
    const timezone = findTimeZone(prose);
    return { calls: [call('current_time', timezone ? { timezone } : {})] };
  }

  // d. /reply <text>: everything after the directive and one space, verbatim.
  if (replyAt !== -1) return { text: user.slice(replyAt + '/reply'.length).replace(/^[ \t]/, '') };

  // e. An echo.
  const echo = clip(user.replace(/\s+/g, ' ').trim(), 200);
  const role = request.system?.trim().split('\n')[0]?.trim();
  return { text: `Simulated reply: you said "${echo}"${role ? ` (acting as: ${clip(role, 80)})` : ''}.` };
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The tool results after the last assistant message, if the conversation ends with them. */
function trailingToolResults(messages: readonly ChatMessage[]): Extract<ChatMessage, { role: 'tool' }>[] {
  const out: Extract<ChatMessage, { role: 'tool' }>[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== 'tool') break;
    out.unshift(m);
  }
  return out;
}

/** Ids continue across the conversation (sim_call_1, sim_call_2, …) so they stay unique in it. */
function previousCallCount(messages: readonly ChatMessage[]): number {
  let n = 0;
  for (const m of messages) if (m.role === 'assistant') n += m.toolCalls?.length ?? 0;
  return n;
}

/** Parsed /tool arguments, or the reason they are not a JSON object. */
function parseArgs(raw: string): Record<string, unknown> | string {
  if (raw === '') return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    return 'not an object';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function describeResult(result: Extract<ChatMessage, { role: 'tool' }>): string {
  let value: unknown = result.content;
  try {
    value = JSON.parse(result.content);
  } catch {
    // plain text content
  }
  // Accept a serialized ToolResult ({ ok, output } / { ok: false, error }) as well as bare output.
  let failed = result.isError === true;
  if (isRecord(value) && typeof value['ok'] === 'boolean') {
    failed ||= !value['ok'];
    value = value['ok'] ? value['output'] : value['error'];
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (failed) return `The ${result.name} tool failed: ${text}`;
  if (result.name === 'calculator' && isRecord(value) && 'result' in value) {
    return `The calculator says ${String(value['expression'])} = ${String(value['result'])}.`;
  }
  if (result.name === 'current_time' && isRecord(value) && typeof value['local'] === 'string') {
    return `The current time in ${String(value['timezone'])} is ${value['local']}.`;
  }
  return `${result.name} returned ${text}.`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The longest run of arithmetic in the text that has an operator between two operands:
 * "what is 12 * (3 + 4)?" → "12 * (3 + 4)". Dates (2024-01-15) are not arithmetic.
 */
function findArithmetic(text: string): string | undefined {
  let best: string | undefined;
  for (const [run] of text.matchAll(/(?:\b(?:sqrt|abs|round|floor|ceil|min|max|log|ln|sin|cos|tan|pi)\b|[\d.()+\-*/%^×÷−, \t])+/g)) {
    const candidate = balance(run.trim().replace(/[\s,.]+$/, ''));
    if (!/(?:\d|\)|pi)\s*(?:[-+*/%^×÷−]|\*\*)\s*[-+(]*\s*(?:\d|\(|sqrt|abs|round|floor|ceil|min|max|log|ln|sin|cos|tan|pi)/.test(candidate)) continue;
    if (/^\d{4}-\d{2}-\d{2}$/.test(candidate)) continue;
    if (!best || candidate.length > best.length) best = candidate;
  }
  return best;
}

/** Drops unmatched parentheses at the ends ("(what is 2+2)" gives "2+2)" → "2+2"). */
function balance(s: string): string {
  let out = s;
  for (;;) {
    const open = (out.match(/\(/g) ?? []).length;
    const close = (out.match(/\)/g) ?? []).length;
    if (close > open && out.endsWith(')')) out = out.slice(0, -1).trim();
    else if (open > close && out.startsWith('(')) out = out.slice(1).trim();
    else return out;
  }
}

function asksForTime(text: string): boolean {
  return /\b(?:what time|the time|current time|time is it|time now|time in|today'?s date|the date|what day|current date)\b/i.test(text);
}

/** The canonical name of an IANA time zone ("europe/paris" -> "Europe/Paris"); throws if unknown. */
const resolveTimeZone = (name: string): string => new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;

let cityZones: Map<string, string> | undefined;

/** An IANA zone named in the text ("Europe/Paris", "UTC"), or one whose city is ("in Tokyo"). */
function findTimeZone(text: string): string | undefined {
  for (const [name] of text.matchAll(/\b(?:[A-Za-z_]+\/[A-Za-z_]+(?:\/[A-Za-z_]+)?|UTC|GMT)\b/g)) {
    try {
      return resolveTimeZone(name);
    } catch {
      // not a zone
    }
  }
  cityZones ??= new Map(Intl.supportedValuesOf('timeZone').map((zone) => [(zone.split('/').at(-1) ?? zone).replaceAll('_', ' ').toLowerCase(), zone]));
  const lower = text.toLowerCase();
  for (const [city, zone] of cityZones) {
    const at = lower.indexOf(city);
    if (at !== -1 && !/[a-z]/.test(lower[at - 1] ?? '') && !/[a-z]/.test(lower[at + city.length] ?? '')) return zone;
  }
  return undefined;
}
