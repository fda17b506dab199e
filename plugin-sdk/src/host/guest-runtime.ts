/**
 * The script that runs first in every fresh context, before the plugin's bundle. It takes the two
 * host callbacks from the globals the host set (and deletes them), builds `ctx` and `console`,
 * and evaluates to the one function the host calls into:
 *   op 'call'   (tool, inputJson, maxOutputChars, maxLogs, secretTag, maxRequestChars, maxFetchChars)
 *                                                         -> Promise<[metaJson, outputJson?]>
 *   op 'settle' (id, responseJson)                        -> resolves or rejects a pending ctx.fetch
 *   op 'ping'   ()                                        -> 0, once the isolate has nothing else to run
 *
 * Why it looks like this:
 * - Only plain functions and strings cross: the host callbacks are isolated-vm `Callback`s, which
 *   arrive here as ordinary functions whose arguments are copied; no Reference or ExternalCopy is
 *   ever in the guest's reach. ctx.fetch is two one-way messages (start with an id; the host later
 *   calls 'settle'), because a Callback cannot hand back a promise.
 * - Strict mode everywhere: V8 hides the receiver and function of strict frames from
 *   `Error.prepareStackTrace` call sites.
 * - The intrinsics it relies on are captured before the bundle runs, so a bundle that replaces
 *   JSON or Promise can only break its own call, never make the runtime lie to the host.
 * - The runtime's own answer (meta) is built here, out of the bundle's reach; only its strings
 *   (error messages, output) are guest-controlled, and the host re-checks their sizes.
 * - Every string sent out is copied into the host's heap before the host can look at it, so sizes
 *   are bounded here first: error messages are cut, a ctx.fetch request over the call's limits is
 *   not sent (the host gets only its size and fails the call), output and log lines are capped.
 */
export const GUEST_RUNTIME = String.raw`(function () {
'use strict';
const g = globalThis;
const sendLog = g.__agentflow_log;
const startFetch = g.__agentflow_fetch;
delete g.__agentflow_log;
delete g.__agentflow_fetch;
// Smaller attack surface: nothing a tool needs, and the usual home of engine bugs.
delete g.WebAssembly;
delete g.SharedArrayBuffer;
delete g.Atomics;
// Their callbacks would run later, during another call's time on this (reused) isolate.
delete g.FinalizationRegistry;
delete g.WeakRef;

const stringify = JSON.stringify;
const parse = JSON.parse;
const PromiseC = Promise;
const ErrorC = Error;
const TypeErrorC = TypeError;
const StringC = String;
const freeze = Object.freeze;
const isArray = Array.isArray;
const call = Function.prototype.call.bind(Function.prototype.call);
const mapGet = Map.prototype.get, mapSet = Map.prototype.set, mapDelete = Map.prototype.delete;
const pending = new Map();
const SECRET_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const LEVELS = { debug: 1, info: 1, warn: 1, error: 1 };
const MAX_LOG_CHARS = 16384;
const MAX_ERROR_CHARS = 2000;
const sliceOf = String.prototype.slice;

let nextId = 0;
let logsSent = 0;
let logsDropped = 0;
let maxLogs = 100;
// ctx.fetch budget, set by the call; until then (the bundle loading) nothing is sent.
let maxRequestChars = 0;
let maxFetchChars = 0;
let fetchChars = 0;
// This call's secret tag (one context serves one call): only ctx.secret reveals it, inside its placeholders.
let secretTag = null;

/** The bundle may have replaced String.prototype.slice: the captured one cuts for real. */
function clip(text, max) {
  return text.length > max ? call(sliceOf, text, 0, max) + '… (' + (text.length - max) + ' more characters)' : text;
}

function describe(error) {
  try {
    if (error instanceof ErrorC) return StringC(error.name) + ': ' + StringC(error.message);
    if (typeof error === 'string') return error;
    return 'a non-Error value was thrown: ' + StringC(stringify(error) ?? StringC(error));
  } catch {
    return 'a value that cannot be described was thrown';
  }
}

function log(level, message, data) {
  if (logsSent >= maxLogs) { logsDropped++; return; }
  const lvl = typeof level === 'string' && LEVELS[level] === 1 ? level : 'info';
  let text;
  try { text = typeof message === 'string' ? message : StringC(message); } catch { text = '[message cannot be turned into text]'; }
  let json;
  try { json = stringify([lvl, text, data === undefined ? null : data]); } catch { json = undefined; }
  if (json === undefined || json.length > MAX_LOG_CHARS) {
    json = stringify([lvl, text.length > MAX_LOG_CHARS ? call(sliceOf, text, 0, MAX_LOG_CHARS) : text, json === undefined ? '[data is not JSON]' : '[data larger than 16 KB left out]']);
  }
  logsSent++;
  sendLog(json);
}

function format(args) {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let s;
    try { s = typeof a === 'string' ? a : a instanceof ErrorC ? describe(a) : stringify(a) ?? StringC(a); } catch { s = '[unprintable]'; }
    out += (i ? ' ' : '') + s;
  }
  return out;
}

function fetch(request, init) {
  if (typeof request === 'string') request = Object.assign({}, init, { url: request });
  let json;
  try { json = stringify(request); } catch (error) {
    return PromiseC.reject(new TypeErrorC('ctx.fetch: the request must be plain JSON (' + describe(error) + ')'));
  }
  if (typeof json !== 'string' || json[0] !== '{') {
    return PromiseC.reject(new TypeErrorC('ctx.fetch expects { url, method?, headers?, body? }'));
  }
  const size = json.length;
  if (size > maxRequestChars || fetchChars + size > maxFetchChars) {
    // Not sent: the host hears only the size (a number, not the text) and fails the call.
    startFetch(++nextId, size);
    return PromiseC.reject(new ErrorC('ctx.fetch: the request is too large (' + size + ' characters of JSON)'));
  }
  fetchChars += size;
  return new PromiseC((resolve, reject) => {
    const id = ++nextId;
    call(mapSet, pending, id, [resolve, reject]);
    startFetch(id, json);
  });
}

function settle(id, json) {
  const entry = call(mapGet, pending, id);
  if (!entry) return;
  call(mapDelete, pending, id);
  const answer = parse(json);
  if (answer.ok) entry[0](answer.response);
  else entry[1](new ErrorC(answer.error));
}

const ctx = freeze({
  fetch,
  log(level, message, data) { log(level, message, data); },
  secret(name) {
    if (typeof name !== 'string' || !SECRET_NAME.test(name)) throw new TypeErrorC('ctx.secret: ' + StringC(name) + ' is not a valid secret name');
    if (secretTag === null) throw new ErrorC('ctx.secret: this call has no secrets (the host gave it no secret tag)');
    return '{{secret:' + secretTag + ':' + name + '}}';
  },
});

const consoleLevel = (level) => function () { log(level, format(arguments)); };
g.console = freeze({ log: consoleLevel('info'), info: consoleLevel('info'), debug: consoleLevel('debug'), warn: consoleLevel('warn'), error: consoleLevel('error') });

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
g.btoa = function btoa(input) {
  const s = StringC(input);
  let out = '';
  for (let i = 0; i < s.length; i += 3) {
    const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
    if (a > 255 || b > 255 || c > 255) throw new ErrorC('btoa: the string contains characters outside Latin-1');
    const n = (a << 16) | ((b || 0) << 8) | (c || 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < s.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < s.length ? B64[n & 63] : '=');
  }
  return out;
};
g.atob = function atob(input) {
  const s = StringC(input).replace(/[\t\n\f\r ]/g, '').replace(/={1,2}$/, '');
  if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) throw new ErrorC('atob: the string is not valid base64');
  let out = '';
  for (let i = 0, bits = 0, n = 0; i < s.length; i++) {
    n = (n << 6) | B64.indexOf(s[i]);
    bits += 6;
    if (bits >= 8) { bits -= 8; out += StringC.fromCharCode((n >> bits) & 255); }
  }
  return out;
};

function rejectWith(code, error) {
  return [stringify({ ok: false, code, error: clip(error, MAX_ERROR_CHARS), logs: logsSent, dropped: logsDropped })];
}

function rejectKeyOrType(key, value) {
  const t = typeof value;
  if (t === 'function' || t === 'symbol') throw new TypeErrorC('a ' + t + ' is not JSON' + (key ? ' (at key "' + key + '")' : ''));
  return value;
}

async function run(tool, inputJson, maxOutputChars, logCap, tag, requestChars, totalChars) {
  maxLogs = logCap;
  maxRequestChars = requestChars;
  maxFetchChars = totalChars;
  secretTag = typeof tag === 'string' ? tag : null;
  let definition;
  try {
    const bundle = g.AgentFlowPlugin;
    definition = bundle && typeof bundle === 'object' ? bundle.default : undefined;
  } catch (error) {
    return rejectWith('BAD_BUNDLE', 'reading AgentFlowPlugin failed: ' + describe(error));
  }
  if (!definition || typeof definition !== 'object' || !isArray(definition.tools)) {
    return rejectWith('BAD_BUNDLE', 'the bundle does not assign AgentFlowPlugin.default = { tools: [...] } (build it with agentflow-plugin pack)');
  }
  let output;
  try {
    const names = [];
    let found;
    for (const candidate of definition.tools) {
      const name = candidate && candidate.name;
      names.push(StringC(name));
      if (name === tool) { found = candidate; break; }
    }
    if (!found) return rejectWith('TOOL_NOT_FOUND', 'the plugin has no tool "' + tool + '" (it has: ' + (names.join(', ') || 'none') + ')');
    if (typeof found.run !== 'function') return rejectWith('BAD_BUNDLE', 'its run is not a function');
    output = await found.run(parse(inputJson), ctx);
  } catch (error) {
    return rejectWith('THROWN', describe(error));
  }
  let json;
  try { json = stringify(output === undefined ? null : output, rejectKeyOrType); } catch (error) {
    return rejectWith('INVALID_OUTPUT', 'it returned a value that is not JSON: ' + describe(error));
  }
  if (json.length > maxOutputChars) return rejectWith('OUTPUT_TOO_LARGE', StringC(json.length));
  return [stringify({ ok: true, logs: logsSent, dropped: logsDropped }), json];
}

return function dispatch(op, a, b, c, d, e, f, g) {
  if (op === 'settle') return settle(a, b);
  if (op === 'ping') return 0;
  return run(a, b, c, d, e, f, g);
};
})()`;
