import { randomBytes } from 'node:crypto';
import type { Content, GenerateContentConfig, GenerateContentResponse, GoogleGenAI, Part } from '@google/genai';
import type { ChatMessage, ChatRequest, LlmProvider, ProviderCredentials, StopReason, StreamEvent, Usage } from '../types.ts';
import { ProviderError } from '../types.ts';
import { callAbort } from './abort-on-exit.ts';
import { abortedError, toProviderError } from './errors.ts';

/** Gemini API (not Vertex) over @google/genai's `models.generateContentStream`. */

const MAX_CLIENTS = 100;
const clients = new Map<string, GoogleGenAI>();
/** Loaded on first use: the SDK costs ~22 MB of RSS that processes never calling Gemini skip. */
let sdk: Promise<typeof import('@google/genai')> | undefined;

/** One client per key and base URL: building one per call would redo its setup each time. */
async function clientFor({ apiKey, baseUrl }: ProviderCredentials): Promise<GoogleGenAI> {
  const key = `${baseUrl ?? ''}\n${apiKey}`;
  let client = clients.get(key);
  if (!client) {
    const loaded = await (sdk ??= import('@google/genai'));
    if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value!);
    client = new loaded.GoogleGenAI({
      apiKey,
      // Explicit: GOOGLE_GENAI_USE_VERTEXAI in the server's environment would otherwise switch
      // every organization's calls to Vertex AI.
      vertexai: false,
      // No retryOptions means no retries in this SDK (failover is ours); say so anyway, as its
      // documented default is 5 attempts once the option is present.
      httpOptions: { ...(baseUrl ? { baseUrl } : {}), retryOptions: { attempts: 1 } },
    });
    clients.set(key, client);
  }
  return client;
}

export function toGeminiContents(messages: ChatMessage[]): Content[] {
  const out: Content[] = [];
  for (const m of messages) {
    if (m.role === 'user') {
      out.push({ role: 'user', parts: [{ text: m.content }] });
    } else if (m.role === 'tool') {
      const part: Part = { functionResponse: { name: m.name, response: m.isError ? { error: m.content } : { output: m.content } } };
      // Results of one step go back together, in one user turn, as Gemini expects.
      const last = out.at(-1);
      if (last?.role === 'user' && last.parts?.every((p) => p.functionResponse)) last.parts.push(part);
      else out.push({ role: 'user', parts: [part] });
    } else {
      const parts: Part[] = m.content ? [{ text: m.content }] : [];
      for (const call of m.toolCalls ?? []) {
        // Gemini's thinking models sign each function call and reject a call sent back without it.
        const signature = call.providerData?.thoughtSignature;
        parts.push({ functionCall: { name: call.name, args: call.arguments }, ...(signature ? { thoughtSignature: signature } : {}) });
      }
      // A model turn needs at least one part.
      out.push({ role: 'model', parts: parts.length ? parts : [{ text: '' }] });
    }
  }
  return out;
}

/** `reason` is the SDK's FinishReason, a string enum (compared as strings to keep the SDK lazy). */
function stopReason(reason: string | undefined, calledTools: boolean): StopReason {
  if (reason === 'STOP') return calledTools ? 'tool_use' : 'end';
  if (reason === 'MAX_TOKENS') return 'max_tokens';
  return 'other';
}

function usageOf(response: GenerateContentResponse): Usage | undefined {
  const u = response.usageMetadata;
  if (!u) return undefined;
  return {
    // promptTokenCount already includes the cached part.
    inputTokens: u.promptTokenCount ?? 0,
    cachedInputTokens: u.cachedContentTokenCount ?? 0,
    // Thinking tokens are billed as output but counted apart from the answer's.
    outputTokens: (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0),
  };
}

async function* stream(request: ChatRequest, credentials: ProviderCredentials): AsyncGenerator<StreamEvent> {
  const { signal } = request;
  if (!credentials.apiKey) throw new ProviderError('gemini', 'auth', 'No Gemini API key is configured');
  const fail = (err: unknown) => toProviderError('gemini', err, signal, credentials.apiKey);
  const abort = callAbort(signal);

  const config: GenerateContentConfig = {
    maxOutputTokens: request.maxOutputTokens,
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.system ? { systemInstruction: request.system } : {}),
    ...(request.tools?.length
      ? { tools: [{ functionDeclarations: request.tools.map((t) => ({ name: t.name, description: t.description, parametersJsonSchema: t.inputSchema })) }] }
      : {}),
    // Fires on the caller's abort, and when our consumer stops reading (this SDK would leave
    // the request running).
    abortSignal: abort.signal,
    // On by default: the SDK would silently re-send a request whose stream broke before any
    // content; a broken call must surface so failover (ours) decides.
    automaticContinuation: false,
  };

  let responses: AsyncGenerator<GenerateContentResponse>;
  try {
    const client = await clientFor(credentials);
    responses = await client.models.generateContentStream({ model: request.model, contents: toGeminiContents(request.messages), config });
  } catch (err) {
    throw fail(err);
  }

  // Gemini gives calls no ids: make ones unique beyond this response, since a conversation may
  // fail over to a provider that rejects repeated ids. Kept under OpenAI's 40-character limit.
  const nonce = randomBytes(4).toString('hex');
  let callCount = 0;
  let usage: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
  let finish: string | undefined;
  let blocked = false;
  try {
    for await (const response of abort.iterate(responses)) {
      usage = usageOf(response) ?? usage;
      if (response.promptFeedback?.blockReason) blocked = true;
      const candidate = response.candidates?.[0];
      for (const part of candidate?.content?.parts ?? []) {
        if (part.text && !part.thought) yield { type: 'text', delta: part.text };
        if (part.functionCall) {
          const name = part.functionCall.name ?? '';
          const id = part.functionCall.id || `call_${nonce}_${callCount}_${name.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 40);
          callCount++;
          const providerData = part.thoughtSignature ? { thoughtSignature: part.thoughtSignature } : undefined;
          yield { type: 'tool_call', call: { id, name, arguments: part.functionCall.args ?? {}, ...(providerData ? { providerData } : {}) } };
        }
      }
      if (candidate?.finishReason) finish = candidate.finishReason;
    }
  } catch (err) {
    throw fail(err);
  }
  if (signal?.aborted) throw abortedError('gemini', signal);
  // A blocked prompt comes back without candidates: a finished (refused) answer, not a failure.
  if (finish === undefined && !blocked) throw new ProviderError('gemini', 'connection', 'Gemini stream ended before the answer was complete');

  yield { type: 'usage', usage };
  yield { type: 'stop', reason: stopReason(finish, callCount > 0) };
}

export const geminiProvider: LlmProvider = { id: 'gemini', stream };
