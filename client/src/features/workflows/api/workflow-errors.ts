import type { WorkflowProblem } from '../../../editor/core/problems';

interface ErrorWithDetails {
  graphQLErrors?: { extensions?: Record<string, unknown> | null }[];
}

function isProblem(value: unknown): value is WorkflowProblem {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

/**
 * The problems the server listed when it refused a definition (BAD_USER_INPUT with
 * `extensions.details.problems`, e.g. on activating an invalid workflow); null if it listed none.
 */
export function refusedProblems(error: unknown): WorkflowProblem[] | null {
  const errors = (error as ErrorWithDetails | null)?.graphQLErrors ?? [];
  for (const e of errors) {
    const details = e.extensions?.details as { problems?: unknown } | undefined;
    if (Array.isArray(details?.problems)) return details.problems.filter(isProblem);
  }
  return null;
}
