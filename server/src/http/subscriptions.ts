import type { IncomingMessage } from 'node:http';
import type { ExecutionArgs, GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import type { Caller, Deps } from '../graphql/context.ts';
import { toClientError } from '../graphql/errors.ts';
import type { GraphQLServer } from '../graphql/yoga.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import { resolveCaller } from '../modules/auth/caller.service.ts';
import { clientIp } from './request-info.ts';

type Params = Record<string, unknown> | undefined;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

async function callerFor(deps: Deps, params: Params, request: IncomingMessage): Promise<Caller> {
  return resolveCaller(deps, {
    authorization: str(params?.authorization) ?? str(params?.Authorization),
    organizationId: str(params?.organizationId),
    ip: clientIp(request, deps.config.trustProxy),
    userAgent: request.headers['user-agent'] ?? null,
  });
}

/**
 * graphql-ws on the HTTP server's /graphql path, run through yoga's envelope so the same
 * limits, masking and context apply. The connection authenticates in connection_init
 * (4401 without valid credentials, 4403 for an organization the caller cannot use), and every
 * subscribe re-reads the caller from the database.
 */
export function attachSubscriptions(wss: WebSocketServer, yoga: GraphQLServer, deps: Deps): void {
  useServer<Params>({
    connectionInitWaitTimeout: 5_000,
    execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => unknown }).execute(args) as never,
    subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => unknown }).subscribe(args) as never,
    onConnect: async (ctx) => {
      try {
        const caller = await callerFor(deps, ctx.connectionParams, ctx.extra.request);
        if (!caller.user && !caller.apiKey) {
          ctx.extra.socket.close(CloseCode.Unauthorized, 'Unauthorized: send { authorization: "Bearer <token>" } in connection_init');
          return false;
        }
        return true;
      } catch (err) {
        const unauthenticated = err instanceof AppError && err.code === ErrorCode.UNAUTHENTICATED;
        ctx.extra.socket.close(unauthenticated ? CloseCode.Unauthorized : CloseCode.Forbidden, err instanceof AppError ? err.message.slice(0, 120) : 'Forbidden');
        return false;
      }
    },
    onSubscribe: async (ctx, _id, payload) => {
      let caller: Caller;
      try {
        caller = await callerFor(deps, ctx.connectionParams, ctx.extra.request);
      } catch (err) {
        if (err instanceof AppError && err.code === ErrorCode.UNAUTHENTICATED) ctx.extra.socket.close(CloseCode.Unauthorized, err.message.slice(0, 120));
        return [toClientError(err, deps.logger)];
      }
      const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({ req: ctx.extra.request, caller, params: payload });
      let document;
      try {
        document = parse(payload.query);
      } catch (err) {
        return [toClientError(err, deps.logger)];
      }
      const errors = validate(schema, document);
      if (errors.length) return errors.map((e: GraphQLError) => toClientError(e, deps.logger));
      return {
        schema,
        document,
        operationName: payload.operationName,
        variableValues: payload.variables,
        contextValue: await contextFactory(),
        rootValue: { execute, subscribe },
      };
    },
  }, wss);
}
