import { defineTool } from '@agentflow/plugin-sdk';

/** What `current_time` returns: the same instant, machine- and human-readable. */
export interface CurrentTime {
  /** The canonical IANA name ("europe/paris" comes back as "Europe/Paris"). */
  timezone: string;
  /** Local time with its UTC offset, e.g. 2026-11-05T15:04:05+01:00 (Z when the offset is 0). */
  iso: string;
  /** e.g. "Thursday, November 5, 2026 at 3:04:05 PM GMT+1". */
  local: string;
  weekday: string;
  unixSeconds: number;
}

/** The canonical name of an IANA time zone; an Error naming it when it is unknown. */
export function resolveTimeZone(name: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw new Error(`Unknown time zone: ${name}`);
  }
}

/** Describes `date` in `timeZone` (already resolved). Intl works in a bare V8 isolate: V8 carries ICU. */
export function describeTime(date: Date, timeZone: string): CurrentTime {
  const seconds = Math.floor(date.getTime() / 1000);
  const parts: Record<string, string> = {};
  const numeric = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'long',
  });
  for (const p of numeric.formatToParts(date)) parts[p.type] = p.value;
  const wall = `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}`;
  // The offset is the wall-clock time read as UTC minus the real instant (both in whole seconds).
  const offsetMinutes = Math.round((Date.parse(`${wall}Z`) / 1000 - seconds) / 60);
  const local = new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'full', timeStyle: 'long' }).format(date);
  return { timezone: timeZone, iso: wall + formatOffset(offsetMinutes), local, weekday: parts['weekday'] ?? '', unixSeconds: seconds };
}

const pad = (n: number) => String(n).padStart(2, '0');

function formatOffset(minutes: number): string {
  if (minutes === 0) return 'Z';
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export const currentTime = defineTool({
  name: 'current_time',
  title: 'Current time',
  description: 'Returns the current date and time, in UTC or in the given IANA time zone (for example "Europe/Paris" or "America/New_York").',
  inputSchema: {
    type: 'object',
    properties: {
      timezone: { type: 'string', description: 'An IANA time zone name such as "Asia/Tokyo". Defaults to UTC.', minLength: 1, maxLength: 100 },
    },
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: {
      timezone: { type: 'string', description: 'The canonical IANA name of the zone' },
      iso: { type: 'string', description: 'Local time with its UTC offset, e.g. 2026-11-05T15:04:05+01:00' },
      local: { type: 'string', description: 'Human-readable, e.g. "Thursday, November 5, 2026 at 3:04:05 PM GMT+1"' },
      weekday: { type: 'string', description: 'The local day of the week' },
      unixSeconds: { type: 'integer', description: 'Seconds since 1970-01-01T00:00:00Z' },
    },
    required: ['timezone', 'iso', 'local', 'weekday', 'unixSeconds'],
    additionalProperties: false,
  },
  run(input) {
    return describeTime(new Date(), resolveTimeZone(input.timezone ?? 'UTC'));
  },
});
