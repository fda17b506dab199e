import type { FetchRequest, FetchResponse, Json, JsonSchema, LogLevel } from '../types.ts';

/** Per-call limits. Every field has a default (see `DEFAULT_LIMITS`). */
export interface SandboxLimits {
  /** isolated-vm `memoryLimit` for the isolate (a guideline: guests can reach 2-3x). */
  memoryMb: number;
  /** CPU time the guest may use in one call. */
  cpuMs: number;
  /** Wall-clock time for the whole call, bridge waits included (our own watchdog). */
  wallMs: number;
  /**
   * `ctx.fetch` calls in one call; one more fails the call with BRIDGE_LIMIT. (`ctx.log` is capped
   * apart: the host keeps the first 100 entries of a call and counts the rest as dropped.)
   */
  maxBridgeCalls: number;
  /** The output, as JSON. */
  maxOutputBytes: number;
  /**
   * One `ctx.fetch` request, as JSON (UTF-8 bytes). A larger one fails the call with BRIDGE_LIMIT
   * before it leaves the isolate: whatever the guest sends out is copied into the host's heap.
   */
  maxFetchRequestBytes: number;
  /** All `ctx.fetch` requests of one call together, as JSON; more fails the call with BRIDGE_LIMIT. */
  maxFetchTotalBytes: number;
}

export interface SandboxCall {
  /** Identifies the code, for warm-isolate reuse: the bundle's sha256, or `<plugin>@<version>`. */
  codeKey: string;
  /** A script that assigns `AgentFlowPlugin` (esbuild IIFE, `globalName: 'AgentFlowPlugin'`). */
  bundle: string;
  /** The tool to run, by its name inside the plugin. */
  tool: string;
  input: Json;
  /** Validated before the guest runs; a mismatch fails the call with INVALID_INPUT. */
  inputSchema?: JsonSchema;
  /** Validated after; a mismatch fails the call with INVALID_OUTPUT. */
  outputSchema?: JsonSchema;
  limits?: Partial<SandboxLimits>;
  /**
   * This call's secret tag (`createSecretTag()`: fresh per call, 32-128 lowercase hex): inside
   * the call `ctx.secret(name)` returns `{{secret:<tag>:<name>}}`, and the call's fetch bridge,
   * given the same tag, fills in only placeholders carrying it, so a placeholder written into the
   * input (by a model, say) is never filled. Without a tag `ctx.secret` throws: the call has no
   * secrets. A malformed tag fails the call with INVALID_INPUT.
   */
  secretTag?: string;
}

export interface LogEntry { level: LogLevel; message: string; data?: Json; at: string }

/** The host's side of the doors out. The sandbox calls them with JSON copies only. */
export interface SandboxBridges {
  fetch(request: FetchRequest): Promise<FetchResponse>;
}

export type SandboxErrorCode =
  | 'INVALID_INPUT' | 'INVALID_OUTPUT' | 'OUTPUT_TOO_LARGE' | 'TIMEOUT' | 'CPU_LIMIT' | 'MEMORY_LIMIT'
  | 'BRIDGE_LIMIT' | 'THROWN' | 'TOOL_NOT_FOUND' | 'BAD_BUNDLE' | 'CRASHED' | 'UNAVAILABLE';

export type SandboxResult =
  | { ok: true; output: Json; logs: LogEntry[]; durationMs: number }
  | { ok: false; code: SandboxErrorCode; error: string; logs: LogEntry[]; durationMs: number };

/** What both the in-process host and the server's process pool offer. */
export interface SandboxRunner {
  call(call: SandboxCall, bridges: SandboxBridges): Promise<SandboxResult>;
  close(): Promise<void>;
}
