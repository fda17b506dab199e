import type { Json } from '@agentflow/plugin-sdk';
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

// chat.postMessage's documented success answer.
const posted = (channel: string, ts: string, extra: Record<string, unknown> = {}) => ({
  ok: true,
  channel,
  ts,
  message: { user: 'U0123ABCDEF', type: 'message', ts, bot_id: 'B0123ABCDEF', app_id: 'A0123ABCDEF', text: 'Deploy finished :rocket:', team: 'T0123ABCDEF', ...extra },
});

describe('post_message', () => {
  it('posts with the bot token the host filled in and returns the channel and ts', async () => {
    slack.answer('chat.postMessage', { json: posted('C0123456789', '1732468800.123456') });
    const result = await host.call('post_message', { channel: 'C0123456789', text: 'Deploy finished :rocket:' });

    expect(result).toMatchObject({ ok: true, output: { channel: 'C0123456789', ts: '1732468800.123456' } });
    expect(slack.requests).toHaveLength(1);
    const [request] = slack.requests;
    expect(request).toMatchObject({ method: 'POST', url: 'https://slack.com/api/chat.postMessage' });
    expect(request!.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json; charset=utf-8' });
    expect(JSON.parse(request!.body)).toEqual({ channel: 'C0123456789', text: 'Deploy finished :rocket:' });
  });

  it('replies in a thread with blocks', async () => {
    slack.answer('chat.postMessage', { json: posted('C0123456789', '1732468900.000200', { thread_ts: '1732468800.123456' }) });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Deploy finished* in 42s' } }];
    const result = await host.call('post_message', { channel: '#deploys', text: 'Deploy finished in 42s', thread_ts: '1732468800.123456', blocks });

    expect(result).toMatchObject({ ok: true, output: { channel: 'C0123456789', ts: '1732468900.000200', thread_ts: '1732468800.123456' } });
    expect(JSON.parse(slack.requests[0]!.body)).toEqual({ channel: '#deploys', text: 'Deploy finished in 42s', thread_ts: '1732468800.123456', blocks });
  });

  it('turns Slack\'s { ok: false, error } into an error with Slack\'s code and what to do', async () => {
    slack.answer('chat.postMessage', { json: { ok: false, error: 'channel_not_found' } });
    const result = await host.call('post_message', { channel: 'C0000000000', text: 'hello' });
    expect(result).toMatchObject({ ok: false, code: 'THROWN' });
    expect(result.ok === false && result.error).toContain('SlackError: channel_not_found: the channel does not exist or the Slack app cannot see it');

    slack.answer('chat.postMessage', { json: { ok: false, error: 'not_in_channel' } });
    const notIn = await host.call('post_message', { channel: 'C0123456789', text: 'hello' });
    expect(notIn.ok === false && notIn.error).toContain('not_in_channel: the Slack app is not a member of this channel: invite it with /invite');
  });

  it('names the missing scope', async () => {
    slack.answer('chat.postMessage', { json: { ok: false, error: 'missing_scope', needed: 'chat:write', provided: 'channels:read' } });
    const result = await host.call('post_message', { channel: 'C0123456789', text: 'hello' });
    expect(result.ok === false && result.error).toContain('missing_scope: the Slack app lacks the chat:write scope: add it and reconnect');
  });

  it('reports a revoked token', async () => {
    const revoked = await createTestHost({ dir: PLUGIN_DIR, secrets: { accessToken: 'xoxb-revoked' } });
    try {
      const result = await revoked.call('post_message', { channel: 'C0123456789', text: 'hello' });
      expect(result.ok === false && result.error).toContain('invalid_auth: the token is not valid: reconnect the Slack integration');
      expect(slack.requests[0]!.headers['authorization']).toBe('Bearer xoxb-revoked');
    } finally {
      await revoked.close();
    }
  });

  it('reports rate limiting with Slack\'s Retry-After', async () => {
    slack.answer('chat.postMessage', { status: 429, headers: { 'retry-after': '30' }, json: { ok: false, error: 'ratelimited' } });
    const result = await host.call('post_message', { channel: 'C0123456789', text: 'hello' });
    expect(result.ok === false && result.error).toContain('ratelimited: Slack is rate limiting chat.postMessage; retry after 30 seconds');
  });

  it('refuses bad input before calling Slack', async () => {
    const inputs: Json[] = [
      { channel: 'C0123456789' },
      { channel: '', text: 'hi' },
      { channel: 'C0123456789', text: 'hi', thread_ts: 'yesterday' },
      { channel: 'C0123456789', text: 'hi', blocks: [] },
      { channel: 'C0123456789', text: 'hi', as_user: true },
    ];
    for (const input of inputs) {
      await expect(host.call('post_message', input), JSON.stringify(input)).resolves.toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    }
    expect(slack.requests).toHaveLength(0);
  });
});
