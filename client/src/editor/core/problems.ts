import type { WorkflowDefinition } from './definition';
import type { FieldError } from './node-validation';

/** A problem the server found in a definition (WorkflowProblem). */
export interface WorkflowProblem {
  message: string;
  nodeId?: string | null;
  edgeId?: string | null;
  path?: string | null;
}

/**
 * The field inside a node that a server problem's `path` points at, in FieldError's form:
 * "/nodes/2/config/agentId" and "config.agentId" both give "config/agentId".
 */
export function problemField(path: string | null | undefined): string | null {
  if (!path) return null;
  const inNode = /^\/nodes\/\d+(?:\/(.*))?$/.exec(path);
  if (inNode) return inNode[1] ?? '';
  if (path.startsWith('/')) return null;
  return path.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean).join('/');
}

/** The node a problem concerns: its nodeId, else the node named by its path or by its edge's target. */
export function problemNodeId(problem: WorkflowProblem, definition: WorkflowDefinition): string | null {
  if (problem.nodeId) return problem.nodeId;
  const index = problem.path ? /^\/nodes\/(\d+)/.exec(problem.path)?.[1] : undefined;
  if (index !== undefined) return definition.nodes[Number(index)]?.id ?? null;
  if (problem.edgeId) return definition.edges.find((e) => e.id === problem.edgeId)?.target ?? null;
  return null;
}

/**
 * Whether a server problem only repeats what the browser's schema check already says about the
 * same field of the same node (the server runs the same schema first).
 */
export function repeatsFieldError(problem: WorkflowProblem, nodeId: string | null, fieldErrors: Readonly<Record<string, readonly FieldError[]>>): boolean {
  const field = problemField(problem.path);
  if (!nodeId || field === null) return false;
  return (fieldErrors[nodeId] ?? []).some((error) => error.field === field);
}

/**
 * Problem messages per node id, from the browser's schema check and the server's graph check,
 * each message once; a server problem about a field the browser already flagged is left out.
 */
export function problemsByNode(
  definition: WorkflowDefinition,
  fieldErrors: Readonly<Record<string, readonly FieldError[]>>,
  serverProblems: readonly WorkflowProblem[],
): Record<string, string[]> {
  const byNode: Record<string, Set<string>> = {};
  const add = (id: string, message: string) => (byNode[id] ??= new Set()).add(message);
  for (const [id, errors] of Object.entries(fieldErrors)) {
    for (const error of errors) add(id, error.field ? `${error.field.replace(/^config\//, '')}: ${error.message}` : error.message);
  }
  for (const problem of serverProblems) {
    const id = problemNodeId(problem, definition);
    if (id && !repeatsFieldError(problem, id, fieldErrors)) add(id, problem.message);
  }
  return Object.fromEntries(Object.entries(byNode).map(([id, set]) => [id, [...set]]));
}
