import type { CombinedError } from '@urql/core';

/** The client's own code for a request that never got an answer; all others come from the server. */
export const NETWORK_ERROR = 'NETWORK_ERROR';

interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown> | null;
}

/** Duck-typed: urql's ESM and CJS builds can both be loaded (tests), so instanceof is unreliable. */
function isCombinedError(error: unknown): error is CombinedError {
  return typeof error === 'object' && error !== null && 'graphQLErrors' in error && Array.isArray(error.graphQLErrors);
}

function codeOf(error: GraphQLErrorLike): string | undefined {
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

function withCode(message: string, code: string | undefined): string {
  return code ? `${message} (${code})` : message;
}

/** The first error code in an error, e.g. "FORBIDDEN"; NETWORK_ERROR when the server was not reached. */
export function errorCode(error: unknown): string | undefined {
  if (isCombinedError(error)) {
    if (error.networkError) return NETWORK_ERROR;
    for (const e of error.graphQLErrors) {
      const code = codeOf(e);
      if (code) return code;
    }
    return undefined;
  }
  if (error && typeof error === 'object' && 'extensions' in error) return codeOf(error as GraphQLErrorLike);
  return undefined;
}

export function hasErrorCode(error: unknown, code: string): boolean {
  if (isCombinedError(error)) return error.graphQLErrors.some((e) => codeOf(e) === code);
  return errorCode(error) === code;
}

/**
 * A sentence for people: the server's message followed by its code, e.g.
 * "You do not have permission to do this (FORBIDDEN)". Several GraphQL errors are joined.
 */
export function formatError(error: unknown): string {
  if (isCombinedError(error)) {
    if (error.graphQLErrors.length > 0) {
      const parts = error.graphQLErrors.map((e) => withCode(e.message, codeOf(e)));
      return [...new Set(parts)].join('; ');
    }
    if (error.networkError) {
      return withCode('Could not reach the AgentFlow server. Check your connection and try again', NETWORK_ERROR);
    }
    return error.message;
  }
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') {
    return withCode(error.message, codeOf(error as GraphQLErrorLike));
  }
  if (typeof error === 'string') return error;
  return 'Something went wrong';
}
