import { createTestHost, type TestHost } from '@agentflow/plugin-sdk/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PLUGIN_DIR, slackMock, TOKEN } from '../test/slack-mock.ts';

const slack = slackMock();
let host: TestHost;
beforeAll(async () => {
  slack.server.listen({ onUnhandledRequest: 'error' });
  host = await createTestHost({ dir: PLUGIN_DIR, secrets: { accessToken: TOKEN } });
});
afterEach(() => slack.reset());
afterAll(async () => {
  await host?.close();
  slack.server.close();
});

// A conversations.list channel object as Slack sends it (every field it documents).
const channel = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  id, name, is_channel: true, is_group: false, is_im: false, is_mpim: false, is_private: false, created: 1449252889, is_archived: false,
  is_general: name === 'general', unlinked: 0, name_normalized: name, is_shared: false, is_org_shared: false, is_pending_ext_shared: false,
  pending_shared: [], context_team_id: 'T0123ABCDEF', updated: 1678229664302, parent_conversation: null, creator: 'U0123ABCDEF',
  is_ext_shared: false, shared_team_ids: ['T0123ABCDEF'], pending_connected_team_ids: [], is_member: true,
  topic: { value: '', creator: '', last_set: 0 }, purpose: { value: '', creator: '', last_set: 0 }, previous_names: [], num_members: 4,
  ...extra,
});

describe('list_channels', () => {
  it('lists public channels a page at a time', async () => {
    slack.answer('conversations.list', {
      json: {
        ok: true,
        channels: [
          channel('C012AB3CD', 'general', { topic: { value: 'Company-wide announcements', creator: 'U0123ABCDEF', last_set: 1449709364 }, num_members: 42 }),
          channel('C061EG9T2', 'random', { is_member: false, purpose: { value: 'Non-work banter', creator: '', last_set: 0 } }),
        ],
        response_metadata: { next_cursor: 'dGVhbTpDMDYxRkE1UEI=' },
      },
    });
    const result = await host.call('list_channels', { limit: 2 });

    expect(result).toEqual(expect.objectContaining({
      ok: true,
      output: {
        channels: [
          { id: 'C012AB3CD', name: 'general', topic: 'Company-wide announcements', purpose: '', is_private: false, is_archived: false, is_member: true, num_members: 42 },
          { id: 'C061EG9T2', name: 'random', topic: '', purpose: 'Non-work banter', is_private: false, is_archived: false, is_member: false, num_members: 4 },
        ],
        next_cursor: 'dGVhbTpDMDYxRkE1UEI=',
      },
    }));
    const [request] = slack.requests;
    expect(request).toMatchObject({ method: 'GET', url: 'https://slack.com/api/conversations.list?types=public_channel&exclude_archived=true&limit=2', body: '' });
    expect(request!.headers['authorization']).toBe(`Bearer ${TOKEN}`);
  });

  it('passes the cursor on and ends with next_cursor null (Slack sends "")', async () => {
    slack.answer('conversations.list', { json: { ok: true, channels: [channel('C0ARCHIVED', 'old-project', { is_archived: true })], response_metadata: { next_cursor: '' } } });
    const result = await host.call('list_channels', { cursor: 'dGVhbTpDMDYxRkE1UEI=', include_archived: true });

    expect(result).toMatchObject({ ok: true, output: { channels: [{ id: 'C0ARCHIVED', is_archived: true }], next_cursor: null } });
    expect(slack.requests[0]!.url).toBe('https://slack.com/api/conversations.list?types=public_channel&exclude_archived=false&limit=100&cursor=dGVhbTpDMDYxRkE1UEI%3D');
  });

  it('fails with Slack\'s error code', async () => {
    slack.answer('conversations.list', { json: { ok: false, error: 'invalid_cursor' } });
    const result = await host.call('list_channels', { cursor: 'bogus' });
    expect(result).toMatchObject({ ok: false, code: 'THROWN' });
    expect(result.ok === false && result.error).toContain('invalid_cursor: the cursor is not valid');
  });

  it('fails clearly when Slack answers something that is not the Web API', async () => {
    slack.answer('conversations.list', { status: 503, json: 'upstream connect error' });
    const result = await host.call('list_channels', {});
    expect(result.ok === false && result.error).toContain('http_503: Slack answered conversations.list with HTTP 503');
  });

  it('refuses a limit out of range', async () => {
    await expect(host.call('list_channels', { limit: 5000 })).resolves.toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    await expect(host.call('list_channels', { limit: 0 })).resolves.toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(slack.requests).toHaveLength(0);
  });
});
