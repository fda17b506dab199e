import { fileURLToPath } from 'node:url';
import { createTestHost, type TestHost } from '@agentflow/plugin-sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTime, resolveTimeZone } from './current-time.ts';

let host: TestHost;
beforeAll(async () => {
  host = await createTestHost({ dir: fileURLToPath(new URL('../..', import.meta.url)) });
});
afterAll(async () => {
  await host?.close();
});

// Thursday 5 November 2026, 14:04:05.678 UTC.
const NOW = new Date('2026-11-05T14:04:05.678Z');

describe('describeTime', () => {
  it('describes an instant in UTC', () => {
    expect(describeTime(NOW, 'UTC')).toEqual({
      timezone: 'UTC',
      iso: '2026-11-05T14:04:05Z',
      local: 'Thursday, November 5, 2026 at 2:04:05 PM UTC',
      weekday: 'Thursday',
      unixSeconds: 1_793_887_445,
    });
  });

  it('converts to an IANA zone, with its offset, across midnight and daylight saving time', () => {
    expect(describeTime(NOW, 'Europe/Paris')).toMatchObject({ iso: '2026-11-05T15:04:05+01:00', weekday: 'Thursday' });
    expect(describeTime(NOW, 'America/New_York').iso).toBe('2026-11-05T09:04:05-05:00');
    expect(describeTime(NOW, 'Asia/Kolkata').iso).toBe('2026-11-05T19:34:05+05:30');
    expect(describeTime(NOW, 'Pacific/Kiritimati')).toMatchObject({ iso: '2026-11-06T04:04:05+14:00', weekday: 'Friday' });
    expect(describeTime(new Date('2026-07-01T12:00:00Z'), 'Europe/Paris').iso).toBe('2026-07-01T14:00:00+02:00');
    expect(describeTime(new Date('2026-01-01T12:00:00Z'), 'Europe/London').iso).toBe('2026-01-01T12:00:00Z');
  });

  it('canonicalises zone names and rejects unknown ones', () => {
    expect(resolveTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(() => resolveTimeZone('Mars/Olympus_Mons')).toThrow('Unknown time zone: Mars/Olympus_Mons');
  });
});

describe('current_time in the sandbox', () => {
  it('defaults to UTC and tells the real time', async () => {
    const before = Math.floor(Date.now() / 1000);
    const result = await host.call('current_time', {});
    expect(result).toMatchObject({ ok: true, output: { timezone: 'UTC', iso: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/) } });
    const seconds = result.ok ? (result.output as { unixSeconds: number }).unixSeconds : Number.NaN;
    expect(seconds).toBeGreaterThanOrEqual(before);
    expect(seconds).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
  });

  it('uses time zones inside the isolate (V8 carries ICU)', async () => {
    const result = await host.call('current_time', { timezone: 'asia/tokyo' });
    expect(result).toMatchObject({ ok: true, output: { timezone: 'Asia/Tokyo', iso: expect.stringMatching(/\+09:00$/), local: expect.stringContaining('GMT+9') } });
  });

  it('fails an unknown zone with a clear error', async () => {
    await expect(host.call('current_time', { timezone: 'Mars/Olympus_Mons' })).resolves.toMatchObject({ ok: false, code: 'THROWN', error: expect.stringContaining('Error: Unknown time zone: Mars/Olympus_Mons') });
  });

  it('refuses unknown arguments', async () => {
    await expect(host.call('current_time', { zone: 'UTC' })).resolves.toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });
});
