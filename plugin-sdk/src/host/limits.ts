import type { SandboxLimits } from './types.ts';

/** What a call gets unless the host or the call says otherwise. */
export const DEFAULT_LIMITS: Readonly<SandboxLimits> = Object.freeze({
  memoryMb: 64,
  cpuMs: 2000,
  wallMs: 10_000,
  maxBridgeCalls: 50,
  maxOutputBytes: 256 * 1024,
  maxFetchRequestBytes: 1024 * 1024,
  maxFetchTotalBytes: 4 * 1024 * 1024,
});

/** isolated-vm refuses isolates under 8 MB. */
const MIN_MEMORY_MB = 8;

/** Host defaults, then the call's own limits; anything that is not a positive number is ignored. */
export function resolveLimits(...layers: (Partial<SandboxLimits> | undefined)[]): SandboxLimits {
  const limits: SandboxLimits = { ...DEFAULT_LIMITS };
  for (const layer of layers) {
    if (!layer) continue;
    for (const key of Object.keys(DEFAULT_LIMITS) as (keyof SandboxLimits)[]) {
      const value = layer[key];
      if (typeof value === 'number' && Number.isFinite(value) && value > 0) limits[key] = Math.floor(value);
    }
  }
  limits.memoryMb = Math.max(MIN_MEMORY_MB, limits.memoryMb);
  return limits;
}
