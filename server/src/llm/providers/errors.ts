// Only the SDKs' error modules (about 3 MB), not the clients (about 25 MB each): the adapters
// load their SDK on first use, and an idle process should not pay for all three.
import * as Anthropic from '@anthropic-ai/sdk/core/error';
import * as OpenAI from 'openai/core/error';
import { ProviderError, type ProviderErrorKind, type ProviderId } from '../types.ts';

/**
 * Turns whatever an SDK threw into a ProviderError, so failover can decide from `kind` alone
 * whether another model may succeed. The three SDKs differ: Anthropic and OpenAI throw typed
 * APIError subclasses (status on `.status`, the provider's message in the JSON body), Gemini
 * throws `ApiError` whose message is the raw JSON body, and all of them surface transport
 * failures as undici's "fetch failed" with an errno code somewhere in the cause chain.
 */

const DISPLAY_NAMES: Record<ProviderId, string> = {
  anthropic: 'Anthropic',
  openai: 'OpenAI',
  gemini: 'Gemini',
  openai_compatible: 'The OpenAI-compatible endpoint',
  simulated: 'The simulated model',
};

/** Errno / undici codes meaning the socket never got (or lost) its connection. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH',
  'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ERR_SSL_WRONG_VERSION_NUMBER', 'CERT_HAS_EXPIRED',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Error `type`s the providers put in a mid-stream error event (no HTTP status to go by). */
const STREAM_ERROR_TYPES: Record<string, ProviderErrorKind> = {
  rate_limit_error: 'rate_limit',
  overloaded_error: 'server',
  api_error: 'server',
  server_error: 'server',
  authentication_error: 'auth',
  permission_error: 'auth',
  invalid_request_error: 'bad_request',
  request_too_large: 'bad_request',
};

const MAX_MESSAGE = 400;

export function providerDisplayName(provider: ProviderId): string {
  return DISPLAY_NAMES[provider];
}

/**
 * Classifies `err`. `signal` is the caller's signal: when it fired, the error is a consequence
 * of our own abort whatever the SDK says (the SDKs report it as APIUserAbortError, a plain
 * AbortError, or by ending the stream quietly). `apiKey` is scrubbed from the message, since
 * some servers echo the key back in 401 bodies.
 */
export function toProviderError(provider: ProviderId, err: unknown, signal?: AbortSignal, apiKey?: string): ProviderError {
  if (err instanceof ProviderError) return err;
  const name = DISPLAY_NAMES[provider];
  const make = (kind: ProviderErrorKind, message: string, status?: number) => {
    // Redacted before it is shortened: a key cut in half would no longer match.
    const clean = truncate(redact(message, apiKey));
    // Keep the SDK error as the cause for debugging, unless its text carries the key.
    const cause = errorText(err) === redact(errorText(err), apiKey) ? err : undefined;
    return new ProviderError(provider, kind, clean, { status, cause });
  };

  if (signal?.aborted) return abortedError(provider, signal);

  const status = httpStatus(err);
  if (status !== undefined) {
    const detail = apiMessage(err);
    const message = `${name} returned ${status}${detail ? `: ${detail}` : ''}`;
    // Gemini answers a wrong key with 400 INVALID_ARGUMENT ("API key not valid"), not 401.
    const kind = status === 400 && /API_KEY_INVALID|API key not valid/i.test(errorText(err)) ? 'auth' : kindForStatus(status);
    return make(kind, message, status);
  }

  if (err instanceof Anthropic.APIConnectionTimeoutError || err instanceof OpenAI.APIConnectionTimeoutError || hasName(err, 'TimeoutError')) {
    return make('timeout', `${name} did not answer in time`);
  }
  if (err instanceof Anthropic.APIUserAbortError || err instanceof OpenAI.APIUserAbortError || hasName(err, 'AbortError')) {
    return make('aborted', `${name} call was cancelled`);
  }
  const code = errnoCode(err);
  if (code && TIMEOUT_CODES.has(code)) return make('timeout', `${name} did not answer in time (${code})`);
  if (err instanceof Anthropic.APIConnectionError || err instanceof OpenAI.APIConnectionError || (code && CONNECTION_CODES.has(code)) || isFetchFailed(err)) {
    return make('connection', `Could not reach ${name}${code ? ` (${code})` : ''}: ${errorText(err)}`);
  }

  // A provider's error event in the middle of a stream: an APIError with no status.
  if (err instanceof Anthropic.APIError || err instanceof OpenAI.APIError) {
    const type = streamErrorType(err);
    const kind = (type ? STREAM_ERROR_TYPES[type] : undefined) ?? 'server';
    return make(kind, `${name} failed mid-stream${type ? ` (${type})` : ''}: ${apiMessage(err) ?? errorText(err)}`);
  }
  if (err instanceof SyntaxError) return make('server', `${name} sent a malformed response: ${errorText(err)}`);
  // Anything else (a broken stream, an SDK invariant): let failover try another model.
  return make('server', `${name} call failed: ${errorText(err)}`);
}

/** The error for a call whose signal fired: a TimeoutError reason means our time limit passed. */
export function abortedError(provider: ProviderId, signal: AbortSignal): ProviderError {
  const name = DISPLAY_NAMES[provider];
  return hasName(signal.reason, 'TimeoutError')
    ? new ProviderError(provider, 'timeout', `${name} did not finish before the call's time limit`, { cause: signal.reason })
    : new ProviderError(provider, 'aborted', `${name} call was cancelled`, { cause: signal.reason });
}

function kindForStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'rate_limit';
  if (status >= 500) return 'server';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  return 'bad_request';
}

function httpStatus(err: unknown): number | undefined {
  const status = isObject(err) ? err.status : undefined;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}

/** The provider's own human message, wherever this SDK put it. */
function apiMessage(err: unknown): string | undefined {
  if (!isObject(err)) return undefined;
  // Anthropic: `apiMessage`; OpenAI: `.error` is the inner `{ message, type, code }`.
  if (typeof err.apiMessage === 'string' && err.apiMessage) return err.apiMessage;
  const body = err.error;
  if (isObject(body)) {
    if (typeof body.message === 'string') return body.message;
    if (isObject(body.error) && typeof body.error.message === 'string') return body.error.message;
  }
  // Gemini: the message is the JSON error body, possibly prefixed ("got status: ... {json}").
  const text = errorText(err);
  const brace = text.indexOf('{');
  if (brace >= 0) {
    try {
      const parsed: unknown = JSON.parse(text.slice(brace));
      if (isObject(parsed) && isObject(parsed.error) && typeof parsed.error.message === 'string') return parsed.error.message;
    } catch {
      // not JSON: fall through to the plain text
    }
  }
  // Strip the SDKs' "429 " status prefix: our message already names the status.
  const plain = text.replace(/^\d{3}\s+/, '');
  return plain || undefined;
}

function streamErrorType(err: unknown): string | undefined {
  if (!isObject(err)) return undefined;
  if (typeof err.type === 'string') return err.type;
  const body = err.error;
  if (isObject(body)) {
    if (typeof body.type === 'string' && body.type !== 'error') return body.type;
    if (isObject(body.error) && typeof body.error.type === 'string') return body.error.type;
  }
  return undefined;
}

/** The first errno-style code in the cause chain (undici nests it: TypeError -> cause -> code). */
function errnoCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; isObject(e) && depth < 5; e = e.cause, depth++) {
    if (typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code)) return e.code;
  }
  return undefined;
}

function isFetchFailed(err: unknown): boolean {
  return err instanceof TypeError && /fetch failed|terminated|network/i.test(err.message);
}

const hasName = (err: unknown, name: string): boolean => isObject(err) && err.name === name;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}

const truncate = (text: string): string => (text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}...` : text);

/** Key-shaped strings (OpenAI/Anthropic `sk-...`, Google `AIza...`), even partly masked ones. */
const KEY_PATTERN = /\b(?:sk-[A-Za-z0-9_*-]{6,}|AIza[0-9A-Za-z_-]{20,})/g;

/** Removes the API key (and anything that looks like one) from text bound for logs and users. */
export function redact(text: string, apiKey?: string): string {
  let out = text;
  if (apiKey && apiKey.length >= 6) out = out.split(apiKey).join('[redacted]');
  return out.replace(KEY_PATTERN, '[redacted]');
}
