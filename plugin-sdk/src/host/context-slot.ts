import type { IsolatedVm, IvmContext, IvmReference } from './ivm.ts';
import type { WarmIsolate } from './warm-isolates.ts';

/** The call a slot serves, once one has claimed it. */
export interface SlotOwner {
  onLog(json: string): void;
  /** `json` is the request, or only its size when the runtime refused to send it. */
  onFetch(id: number, json: string | number): void;
}

/**
 * Where a context's two host callbacks go. A slot is prepared before any call claims it (see
 * `prepareSlot`), so lines the bundle logs while loading wait here for their call.
 */
export class Sink {
  owner: SlotOwner | undefined;
  finished = false;
  /** The guest asked for a fetch outside a call: its isolate is not reused. */
  dirty = false;
  readonly early: string[] = [];

  log(json: string): void {
    if (this.finished) return;
    if (this.owner) this.owner.onLog(json);
    else if (this.early.length < 200) this.early.push(json);
  }

  fetch(id: number, json: string | number): void {
    if (this.finished || !this.owner) this.dirty = true;
    else this.owner.onFetch(id, json);
  }
}

/** A fresh context with the guest runtime and the bundle loaded, for exactly one call. */
export interface Slot {
  context: IvmContext;
  /** The runtime's `dispatch` function (a host-side handle; the guest never sees it). */
  dispatch: IvmReference;
  sink: Sink;
}

/**
 * Makes a fresh context in `warm`'s isolate: the host callbacks as globals (the runtime takes and
 * deletes them), the runtime, then the bundle, its synchronous part bounded by `timeoutMs`.
 */
export async function prepareSlot(ivm: IsolatedVm, warm: WarmIsolate, timeoutMs: number): Promise<Slot> {
  const sink = new Sink();
  const context = await warm.isolate.createContext();
  try {
    context.global.setSync('__agentflow_log', new ivm.Callback(((json: string) => sink.log(json)) as (...args: never[]) => unknown, { ignored: true }));
    context.global.setSync('__agentflow_fetch', new ivm.Callback(((id: number, json: string | number) => sink.fetch(id, json)) as (...args: never[]) => unknown, { ignored: true }));
    const dispatch = await warm.runtime.run(context, { reference: true }) as IvmReference;
    await warm.script.run(context, { timeout: timeoutMs });
    return { context, dispatch, sink };
  } catch (error) {
    context.release();
    throw error;
  }
}

export function releaseSlot(slot: Slot): void {
  slot.sink.finished = true;
  slot.dispatch.release();
  slot.context.release();
}
