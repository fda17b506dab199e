import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import sirv from 'sirv';
import { WebSocketServer } from 'ws';
import { ROOT_DIR } from '../config/env.ts';
import type { Deps } from '../graphql/context.ts';
import { createGraphQLServer } from '../graphql/yoga.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { isAllowedOrigin } from './request-info.ts';
import { attachSubscriptions } from './subscriptions.ts';
import { handleWebhook } from '../modules/workflows/webhook.service.ts';
import { handleOAuthCallback } from '../modules/integrations/oauth.service.ts';
import type pg from 'pg';

const CLIENT_DIST = path.join(ROOT_DIR, 'client', 'dist');
/** Largest GraphQL request body: a packed plugin (up to 1 MB) JSON-escaped in a variable fits. */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** Largest WebSocket message (subscriptions carry small operations). */
const MAX_WS_MESSAGE_BYTES = 1024 * 1024;
/** How long a shutdown waits for requests in flight before cutting them off. */
const SHUTDOWN_GRACE_MS = 5000;

// The web app loads nothing from other origins (Mantine styles are inline), and no one may frame it.
const APP_SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * One port: /graphql (HTTP and graphql-ws), /healthz, /readyz, and the built web app with
 * history fallback for client-side routes.
 */
export function createHttpServer(deps: Deps, pool: pg.Pool): { server: http.Server; close(): Promise<void> } {
  const yoga = createGraphQLServer(deps);
  const assets = existsSync(CLIENT_DIST)
    ? sirv(CLIENT_DIST, { single: true, etag: true, gzip: false, setHeaders: (res, pathname) => {
      if (pathname.startsWith('/assets/')) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
    } })
    : undefined;

  const server = http.createServer(async (req, res) => {
    const url = req.url ?? '/';
    if (url === '/graphql' || url.startsWith('/graphql?') || url.startsWith('/graphql/')) {
      // The length is checked before yoga reads anything; a streamed (chunked) body has none to
      // check, so a POST must state it.
      if (req.method === 'POST' && req.headers['content-length'] === undefined) return json(res, 411, { errors: [{ message: 'Content-Length is required', extensions: { code: 'BAD_USER_INPUT' } }] });
      if (Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) return json(res, 413, { errors: [{ message: 'Request body too large', extensions: { code: 'BAD_USER_INPUT' } }] });
      return void yoga(req, res);
    }
    for (const [name, value] of Object.entries(APP_SECURITY_HEADERS)) res.setHeader(name, value);
    const hook = /^\/hooks\/([^/?#]+)(\?.*)?$/.exec(url);
    if (hook) return handleWebhook(deps, req, res, hook[1]!, new URLSearchParams(hook[2] ?? ''));
    const oauth = /^\/oauth\/callback(\?.*)?$/.exec(url);
    if (oauth) return handleOAuthCallback(deps, req, res, new URLSearchParams(oauth[1] ?? ''));
    if (url === '/healthz') return json(res, 200, { status: 'ok' });
    if (url === '/readyz') {
      try {
        const pending = await pendingMigrations(pool);
        return json(res, pending.length ? 503 : 200, pending.length ? { status: 'migrating', pending } : { status: 'ready' });
      } catch {
        return json(res, 503, { status: 'database unreachable' });
      }
    }
    if (assets) return assets(req, res, () => json(res, 404, { error: 'Not found' }));
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('AgentFlow API is running at /graphql. The web app is not built: run `npm run build -w client`.\n');
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES });
  attachSubscriptions(wss, yoga, deps);
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/graphql')) return socket.destroy();
    const origin = req.headers.origin;
    if (origin && !isAllowedOrigin(origin, req.headers.host, deps.config.allowedOrigins)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  // Upgraded sockets are no longer the HTTP server's: end them first, or close() waits for them.
  // 1001 (going away) tells clients to reconnect, to another process or after the restart.
  const close = () => new Promise<void>((resolve) => {
    for (const client of wss.clients) client.close(1001, 'Server shutting down');
    setTimeout(() => { for (const client of wss.clients) client.terminate(); }, 1000).unref();
    wss.close();
    // Stop accepting, let requests in flight finish, then cut off whatever is left.
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
  });
  return { server, close };
}
