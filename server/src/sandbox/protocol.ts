import type { FetchRequest, FetchResponse } from '@agentflow/plugin-sdk';
import type { SandboxCall, SandboxLimits, SandboxResult } from '@agentflow/plugin-sdk/host';

/**
 * Messages between the pool (parent) and a sandbox process, as JSON over the fork IPC channel.
 * Only data crosses: the parent never runs guest code and the child never makes a network call.
 */
export type ToSandbox =
  | { type: 'init'; maxWarmIsolates?: number; defaults?: Partial<SandboxLimits> }
  /**
   * `bundle` is left out when the parent knows the child has this codeKey's bundle already.
   * `call.secretTag` goes to the isolate host as is (its guest's `ctx.secret` puts it into
   * placeholders); the parent's fetch bridge for the call holds the same tag, and only it fills.
   */
  | { type: 'call'; id: number; call: Omit<SandboxCall, 'bundle'> & { bundle?: string } }
  | { type: 'fetched'; id: number; fetchId: number; ok: true; response: FetchResponse }
  | { type: 'fetched'; id: number; fetchId: number; ok: false; error: string };

export type FromSandbox =
  | { type: 'ready' }
  /** The process cannot host isolates (isolated-vm does not load): not worth restarting. */
  | { type: 'fatal'; error: string }
  | { type: 'need-bundle'; id: number }
  | { type: 'fetch'; id: number; fetchId: number; request: FetchRequest }
  | { type: 'result'; id: number; result: SandboxResult };
