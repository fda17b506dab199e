import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { IncomingMessage } from 'node:http';
import { createYoga, type Plugin } from 'graphql-yoga';
import { resolveCaller } from '../modules/auth/caller.service.ts';
import type { Caller, Context, Deps } from './context.ts';
import { isKnownCode, toClientError } from './errors.ts';
import { ErrorCode } from '../lib/errors.ts';
import { schema } from './schema.ts';
import { isAllowedOrigin, clientIp } from '../http/request-info.ts';

export interface ServerContext { req?: IncomingMessage; caller?: Caller }

/**
 * Refuses what a browser could send cross-site without a CORS preflight: a POST that is not
 * JSON (form and text/plain posts), and any request whose Origin is neither our own nor allowed.
 * Clients that authenticate with headers and speak the GraphQL-over-HTTP spec are unaffected.
 */
function useCsrfGuard(deps: Deps): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      const origin = request.headers.get('origin');
      if (origin && !isAllowedOrigin(origin, request.headers.get('host'), deps.config.allowedOrigins)) {
        endResponse(new fetchAPI.Response(JSON.stringify({ errors: [{ message: 'Cross-origin request refused', extensions: { code: 'FORBIDDEN' } }] }), { status: 403, headers: { 'content-type': 'application/json' } }));
        return;
      }
      if (request.method === 'POST') {
        const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
        if (type !== 'application/json' && type !== 'application/graphql-response+json') {
          endResponse(new fetchAPI.Response(JSON.stringify({ errors: [{ message: 'POST requests must be application/json', extensions: { code: 'BAD_USER_INPUT' } }] }), { status: 415, headers: { 'content-type': 'application/json' } }));
        }
      }
    },
  };
}

/** Gives every error in every HTTP result its extensions.code, validation errors included. */
function useErrorCodes(deps: Deps): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !result || typeof result !== 'object' || !('errors' in result) || !result.errors) return;
      // Request errors (syntax, validation, variables) keep their identity so yoga still picks
      // the spec's status codes for them; they only gain a code.
      for (const error of result.errors) {
        if (!error.originalError && !isKnownCode(error.extensions.code)) (error.extensions as Record<string, unknown>).code = ErrorCode.BAD_USER_INPUT;
      }
      if (result.errors.some((e) => e.originalError)) setResult({ ...result, errors: result.errors.map((e) => (e.originalError ? toClientError(e, deps.logger) : e)) });
    },
  };
}

export function createGraphQLServer(deps: Deps) {
  const { graphql } = deps.config;
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    batching: false,
    logging: false,
    graphiql: graphql.introspection ? { title: 'AgentFlow API', defaultQuery: '{\n  viewer { id email organizations { id name role } }\n}\n' } : false,
    renderGraphiQL,
    cors: { origin: deps.config.allowedOrigins, credentials: false, allowedHeaders: ['authorization', 'content-type', 'x-organization-id', 'accept'], methods: ['GET', 'POST'] },
    maskedErrors: { maskError: (error) => toClientError(error, deps.logger) },
    context: async ({ req, request, caller }): Promise<Context> => ({
      deps,
      caller: caller ?? await resolveCaller(deps, {
        authorization: request.headers.get('authorization'),
        organizationId: request.headers.get('x-organization-id'),
        ip: req ? clientIp(req, deps.config.trustProxy) : null,
        userAgent: request.headers.get('user-agent'),
      }),
    }),
    plugins: [
      useCsrfGuard(deps),
      maxTokensPlugin({ n: graphql.maxTokens }),
      maxDepthPlugin({ n: graphql.maxDepth, ignoreIntrospection: true, exposeLimits: true }),
      maxAliasesPlugin({ n: graphql.maxAliases, exposeLimits: true }),
      maxDirectivesPlugin({ n: graphql.maxDirectives, exposeLimits: true }),
      costLimitPlugin({ maxCost: graphql.maxCost, exposeLimits: true }),
      ...(graphql.introspection ? [] : [useDisableIntrospection(), blockFieldSuggestionsPlugin()]),
      useErrorCodes(deps),
    ],
  });
}
export type GraphQLServer = ReturnType<typeof createGraphQLServer>;
