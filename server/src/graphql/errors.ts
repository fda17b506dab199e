import { GraphQLError } from 'graphql';
import { AppError, ErrorCode } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';

const KNOWN = new Set<unknown>(Object.values(ErrorCode));
export const isKnownCode = (code: unknown): boolean => KNOWN.has(code);

/**
 * The one place errors become what clients see. AppErrors keep their message and code;
 * GraphQL's own request errors (syntax, validation, limits, variables) are BAD_USER_INPUT;
 * anything else is logged and answered as INTERNAL without its message, stack or SQL.
 */
// graphql ships CJS and ESM builds; libraries may hold the other one, so `instanceof` is unreliable.
// Subclasses count too (e.g. Pothos's PothosValidationError for bad connection arguments), as with instanceof.
const isGraphQLError = (e: unknown): e is GraphQLError => {
  for (let p: unknown = e; p instanceof Error; p = Object.getPrototypeOf(p)) if (p.constructor?.name === 'GraphQLError') return true;
  return false;
};

export function toClientError(error: unknown, logger: Logger): GraphQLError {
  const gqlError = isGraphQLError(error) ? error : undefined;
  const original = gqlError ? gqlError.originalError : error;
  const location = gqlError ? { nodes: gqlError.nodes, source: gqlError.source, positions: gqlError.positions, path: gqlError.path } : {};

  if (original instanceof AppError) {
    return new GraphQLError(original.message, { ...location, extensions: { code: original.code, ...(original.details ? { details: original.details } : {}) } });
  }
  if (isGraphQLError(original)) return toClientError(original, logger);
  if (gqlError && !original) {
    const code = isKnownCode(gqlError.extensions.code) ? gqlError.extensions.code : ErrorCode.BAD_USER_INPUT;
    return new GraphQLError(gqlError.message, { ...location, extensions: { ...gqlError.extensions, code } });
  }
  logger.error('internal error', { error: original instanceof Error ? original.stack ?? original.message : String(original), path: gqlError?.path?.join('.') });
  return new GraphQLError('Internal server error', { ...location, extensions: { code: ErrorCode.INTERNAL } });
}
