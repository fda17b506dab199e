import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../lib/errors.ts';
import { createCurrentTimeTool, currentTimeTool, describeTime, resolveTimeZone } from './current-time.ts';
import type { ToolContext } from './types.ts';

const ctx: ToolContext = { organizationId: 'org', signal: new AbortController().signal };
// Thursday 5 November 2026, 14:04:05.678 UTC.
const NOW = new Date('2026-11-05T14:04:05.678Z');
const tool = createCurrentTimeTool(() => NOW);

describe('current_time', () => {
  it('defaults to UTC', async () => {
    await expect(tool.run({}, ctx)).resolves.toEqual({
      timezone: 'UTC',
      iso: '2026-11-05T14:04:05Z',
      local: 'Thursday, November 5, 2026 at 2:04:05 PM UTC',
      weekday: 'Thursday',
      unixSeconds: 1_793_887_445,
    });
  });

  it('converts to an IANA zone, with its offset', async () => {
    await expect(tool.run({ timezone: 'Europe/Paris' }, ctx)).resolves.toMatchObject({ timezone: 'Europe/Paris', iso: '2026-11-05T15:04:05+01:00', weekday: 'Thursday', unixSeconds: 1_793_887_445 });
    await expect(tool.run({ timezone: 'America/New_York' }, ctx)).resolves.toMatchObject({ iso: '2026-11-05T09:04:05-05:00' });
    await expect(tool.run({ timezone: 'Asia/Kolkata' }, ctx)).resolves.toMatchObject({ iso: '2026-11-05T19:34:05+05:30' });
    // Across midnight the weekday changes too.
    await expect(tool.run({ timezone: 'Pacific/Kiritimati' }, ctx)).resolves.toMatchObject({ iso: '2026-11-06T04:04:05+14:00', weekday: 'Friday' });
  });

  it('follows daylight saving time', () => {
    expect(describeTime(new Date('2026-07-01T12:00:00Z'), 'Europe/Paris').iso).toBe('2026-07-01T14:00:00+02:00');
    expect(describeTime(new Date('2026-07-01T12:00:00Z'), 'Europe/London').iso).toBe('2026-07-01T13:00:00+01:00');
    expect(describeTime(new Date('2026-01-01T12:00:00Z'), 'Europe/London').iso).toBe('2026-01-01T12:00:00Z');
  });

  it('returns the canonical zone name', async () => {
    expect(resolveTimeZone('europe/paris')).toBe('Europe/Paris');
    await expect(tool.run({ timezone: 'utc' }, ctx)).resolves.toMatchObject({ timezone: 'UTC' });
  });

  it('rejects an unknown zone', async () => {
    await expect(tool.run({ timezone: 'Mars/Olympus_Mons' }, ctx)).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT, message: 'Unknown time zone: Mars/Olympus_Mons' });
  });

  it('uses the real clock by default', async () => {
    const before = Math.floor(Date.now() / 1000);
    const result = (await currentTimeTool.run({}, ctx)) as { unixSeconds: number };
    expect(result.unixSeconds).toBeGreaterThanOrEqual(before);
    expect(result.unixSeconds).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
  });
});
