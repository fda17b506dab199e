/** Every error code a client can see, in one place. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  RATE_LIMITED: 'RATE_LIMITED',
  CONFLICT: 'CONFLICT',
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  COST_CAP_EXCEEDED: 'COST_CAP_EXCEEDED',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The one error family services throw. Its message is written for the client; anything else
 * thrown is masked as INTERNAL before it leaves the server.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
  }
}

export const notFound = (what = 'Object') => new AppError(ErrorCode.NOT_FOUND, `${what} not found`);
export const forbidden = (message = 'You do not have permission to do this') => new AppError(ErrorCode.FORBIDDEN, message);
export const unauthenticated = (message = 'Sign in to continue') => new AppError(ErrorCode.UNAUTHENTICATED, message);
export const badInput = (message: string, details?: Record<string, unknown>) => new AppError(ErrorCode.BAD_USER_INPUT, message, { details });
export const conflict = (message: string) => new AppError(ErrorCode.CONFLICT, message);

/** Postgres unique_violation, so services can turn a lost race into a CONFLICT. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/** A start-up failure the user can fix; printed as its message alone, without a stack. */
export class StartupError extends Error {}
