import { TerminatedCloseEvent, createClient, type Sink } from 'graphql-ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getSession, setSession, type Session } from './session-store';
import {
  REAUTHENTICATE_CLOSE_CODE,
  SignedOutError,
  createSubscriptionClient,
  shouldRetry,
  subscriptionConnectionParams,
  type SubscriptionAuth,
} from './subscription-client';
import { refreshSessionOnce, type RefreshTransport } from './token-refresh';

const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const session: Session = {
  accessToken: 'access-1',
  accessTokenExpiresAt: at(15 * 60_000),
  refreshToken: 'refresh-1',
  userId: 'User:1',
  organizationId: 'Organization:7',
};
const expired: Session = { ...session, accessTokenExpiresAt: at(-1_000) };
const rotated = { accessToken: 'access-2', accessTokenExpiresAt: at(15 * 60_000), refreshToken: 'refresh-2', user: { id: 'User:1' } };

/** The real session store and single-flight refresh, with the network replaced by `transport`. */
function authWith(transport: RefreshTransport): SubscriptionAuth {
  return { getSession, refresh: () => refreshSessionOnce(transport) };
}

const close = (code: number) => new CloseEvent('close', { code, reason: `closed ${code}` });

afterEach(() => setSession(null));

describe('shouldRetry', () => {
  it.each([
    ['4401 unauthorized (as the socket reports it)', close(REAUTHENTICATE_CLOSE_CODE)],
    ['4401 unauthorized', close(4401)],
    ['1001 going away (server shutdown)', close(1001)],
    ['1006 abnormal closure', close(1006)],
    ['4499 terminated', new TerminatedCloseEvent()],
    ['a socket error event', new Event('error')],
  ])('retries after %s', (_, event) => {
    expect(shouldRetry(event)).toBe(true);
  });

  it.each([
    ['4403 forbidden', close(4403)],
    ['an error of the client itself', new SignedOutError()],
  ])('gives up after %s', (_, event) => {
    expect(shouldRetry(event)).toBe(false);
  });
});

describe('subscriptionConnectionParams', () => {
  it('sends the current token and organization without refreshing', async () => {
    setSession(session);
    const transport = vi.fn<RefreshTransport>();
    const { connectionParams } = subscriptionConnectionParams(authWith(transport));
    await expect(connectionParams()).resolves.toEqual({ authorization: 'Bearer access-1', organizationId: 'Organization:7' });
    expect(transport).not.toHaveBeenCalled();
  });

  it('refreshes an expired token once, however many reconnects ask, and sends the new one', async () => {
    setSession(expired);
    const transport = vi.fn<RefreshTransport>(async () => ({ tokens: rotated }));
    const { connectionParams } = subscriptionConnectionParams(authWith(transport));
    const params = await Promise.all([connectionParams(), connectionParams()]);
    expect(transport).toHaveBeenCalledTimes(1);
    expect(transport).toHaveBeenCalledWith('refresh-1');
    expect(params).toEqual([
      { authorization: 'Bearer access-2', organizationId: 'Organization:7' },
      { authorization: 'Bearer access-2', organizationId: 'Organization:7' },
    ]);
    expect(getSession()?.refreshToken).toBe('refresh-2');
  });

  it('refreshes a token that expires within the margin', async () => {
    setSession({ ...session, accessTokenExpiresAt: at(10_000) });
    const transport = vi.fn<RefreshTransport>(async () => ({ tokens: rotated }));
    const { connectionParams } = subscriptionConnectionParams(authWith(transport));
    await expect(connectionParams()).resolves.toMatchObject({ authorization: 'Bearer access-2' });
    expect(transport).toHaveBeenCalledTimes(1);
  });

  it('refreshes a token the server refused with 4401 even if it looks valid here, once', async () => {
    setSession(session);
    const transport = vi.fn<RefreshTransport>(async () => ({ tokens: rotated }));
    const { connectionParams, unauthorized } = subscriptionConnectionParams(authWith(transport));
    await connectionParams();
    unauthorized();
    await expect(connectionParams()).resolves.toMatchObject({ authorization: 'Bearer access-2' });
    await expect(connectionParams()).resolves.toMatchObject({ authorization: 'Bearer access-2' });
    expect(transport).toHaveBeenCalledTimes(1);
  });

  it('clears the session and fails when the refresh is refused', async () => {
    setSession(expired);
    const { connectionParams } = subscriptionConnectionParams(authWith(async () => ({ tokens: null, rejected: true })));
    await expect(connectionParams()).rejects.toBeInstanceOf(SignedOutError);
    expect(getSession()).toBeNull();
  });

  it('keeps the old token when the refresh did not reach the server (the 4401 is retried)', async () => {
    setSession(expired);
    const { connectionParams } = subscriptionConnectionParams(authWith(async () => ({ tokens: null, rejected: false })));
    await expect(connectionParams()).resolves.toMatchObject({ authorization: 'Bearer access-1' });
    expect(getSession()).toEqual(expired);
  });

  it('fails when signed out', async () => {
    const { connectionParams } = subscriptionConnectionParams(authWith(vi.fn<RefreshTransport>()));
    await expect(connectionParams()).rejects.toBeInstanceOf(SignedOutError);
  });
});

type Message = { type: string; id?: string; payload?: any };
type Listener = ((this: unknown, event: Event) => void) | null;

/** The server end of a WebSocket, in memory: records what the client sends, plays the server's part. */
class FakeSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static opened: FakeSocket[] = [];

  readyState = FakeSocket.CONNECTING;
  readonly protocol: string;
  readonly sent: Message[] = [];
  readonly #handlers = new Map<string, Listener>();

  constructor(
    readonly url: string,
    protocols?: string | string[],
  ) {
    super();
    this.protocol = [protocols ?? []].flat()[0] ?? '';
    // Like the IDL `on…` attributes: one handler per type, called as a listener.
    for (const type of ['open', 'message', 'error', 'close']) this.addEventListener(type, (event) => this.#handlers.get(type)?.call(this, event));
    FakeSocket.opened.push(this);
    setTimeout(() => {
      this.readyState = FakeSocket.OPEN;
      this.dispatchEvent(new Event('open'));
    });
  }

  get onopen(): Listener { return this.#handlers.get('open') ?? null; }
  set onopen(listener: Listener) { this.#handlers.set('open', listener); }
  get onmessage(): Listener { return this.#handlers.get('message') ?? null; }
  set onmessage(listener: Listener) { this.#handlers.set('message', listener); }
  get onerror(): Listener { return this.#handlers.get('error') ?? null; }
  set onerror(listener: Listener) { this.#handlers.set('error', listener); }
  get onclose(): Listener { return this.#handlers.get('close') ?? null; }
  set onclose(listener: Listener) { this.#handlers.set('close', listener); }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Message);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState >= FakeSocket.CLOSING) return;
    this.readyState = FakeSocket.CLOSING;
    setTimeout(() => {
      this.readyState = FakeSocket.CLOSED;
      this.dispatchEvent(new CloseEvent('close', { code, reason, wasClean: true }));
    });
  }

  /** Server side: send a message to the client. */
  reply(message: Message): void {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(message) }));
  }

  /** Server side: wait for connection_init, acknowledge it, return its payload. */
  async accept(): Promise<unknown> {
    const init = await vi.waitFor(() => {
      const message = this.sent.find((m) => m.type === 'connection_init');
      if (!message) throw new Error('no connection_init yet');
      return message;
    });
    this.reply({ type: 'connection_ack' });
    return init.payload;
  }

  async subscribed(): Promise<Message> {
    return vi.waitFor(() => {
      const message = this.sent.find((m) => m.type === 'subscribe');
      if (!message) throw new Error('no subscribe yet');
      return message;
    });
  }
}

const WebSocketImpl = FakeSocket as unknown as typeof WebSocket;
/** Reconnect at once instead of after graphql-ws's backoff. */
const retryWait = () => Promise.resolve();
const query = { query: 'subscription OrganizationEvents { organizationEvents { kind } }' };

async function nthSocket(n: number): Promise<FakeSocket> {
  return vi.waitFor(() => {
    const socket = FakeSocket.opened[n];
    if (!socket) throw new Error(`socket ${n} not opened yet`);
    return socket;
  });
}

function recordingSink() {
  const events: unknown[] = [];
  const sink: Sink = {
    next: (value) => events.push(value),
    error: (error) => events.push({ error }),
    complete: () => events.push('complete'),
  };
  return { events, sink };
}

describe('createSubscriptionClient', () => {
  afterEach(() => {
    FakeSocket.opened = [];
  });

  it('after 4401 reconnects with a refreshed token and re-subscribes the live subscription', async () => {
    setSession(session);
    const transport = vi.fn<RefreshTransport>(async () => ({ tokens: rotated }));
    const client = createSubscriptionClient({ url: 'ws://test/graphql', auth: authWith(transport), webSocketImpl: WebSocketImpl, retryWait });
    const { events, sink } = recordingSink();
    client.subscribe(query, sink);

    const first = await nthSocket(0);
    expect(await first.accept()).toEqual({ authorization: 'Bearer access-1', organizationId: 'Organization:7' });
    const subscribe = await first.subscribed();
    first.reply({ id: subscribe.id, type: 'next', payload: { data: { n: 1 } } });

    first.close(4401, 'Unauthorized');
    const second = await nthSocket(1);
    expect(await second.accept()).toEqual({ authorization: 'Bearer access-2', organizationId: 'Organization:7' });
    const resubscribe = await second.subscribed();
    expect(resubscribe).toEqual(subscribe);
    second.reply({ id: resubscribe.id, type: 'next', payload: { data: { n: 2 } } });

    expect(transport).toHaveBeenCalledTimes(1);
    expect(events).toEqual([{ data: { n: 1 } }, { data: { n: 2 } }]);
    await client.dispose();
  });

  it('reconnects after 1001 (server shutdown) and gives up on 4403', async () => {
    setSession(session);
    const client = createSubscriptionClient({ url: 'ws://test/graphql', auth: authWith(vi.fn<RefreshTransport>()), webSocketImpl: WebSocketImpl, retryWait });
    const { events, sink } = recordingSink();
    client.subscribe(query, sink);

    const first = await nthSocket(0);
    await first.accept();
    await first.subscribed();
    first.close(1001, 'Server shutting down');

    const second = await nthSocket(1);
    await second.accept();
    await second.subscribed();
    second.close(4403, 'Forbidden');

    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect((events[0] as { error: CloseEvent }).error.code).toBe(4403);
    expect(FakeSocket.opened).toHaveLength(2);
  });

  it('ends the subscriptions when the refresh is refused', async () => {
    setSession(session);
    const transport = vi.fn<RefreshTransport>(async () => ({ tokens: null, rejected: true }));
    const client = createSubscriptionClient({ url: 'ws://test/graphql', auth: authWith(transport), webSocketImpl: WebSocketImpl, retryWait });
    const { events, sink } = recordingSink();
    client.subscribe(query, sink);

    const first = await nthSocket(0);
    await first.accept();
    await first.subscribed();
    first.close(4401, 'Unauthorized');

    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect((events[0] as { error: unknown }).error).toBeInstanceOf(SignedOutError);
    expect(transport).toHaveBeenCalledTimes(1);
    expect(getSession()).toBeNull();
  });

  // Why the socket translates 4401: graphql-ws alone ends every subscription, whatever shouldRetry says.
  it('(graphql-ws 6 on its own does not retry 4401)', async () => {
    const client = createClient({ url: 'ws://test/graphql', webSocketImpl: WebSocketImpl, retryWait, shouldRetry: () => true });
    const { events, sink } = recordingSink();
    client.subscribe(query, sink);
    const first = await nthSocket(0);
    await first.accept();
    await first.subscribed();
    first.close(4401, 'Unauthorized');
    await vi.waitFor(() => expect(events).toHaveLength(1));
    expect((events[0] as { error: CloseEvent }).error.code).toBe(4401);
    expect(FakeSocket.opened).toHaveLength(1);
  });
});
