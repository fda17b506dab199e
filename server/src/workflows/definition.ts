import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { ROOT_DIR } from '../config/env.ts';
import { tryGlobalId } from '../graphql/ids.ts';
import { isUuid } from '../lib/keys.ts';
import { templatePaths } from './templates.ts';

/**
 * The workflow definition: one JSON Schema (schemas/workflow-definition.schema.json), shared with
 * the web app, plus the graph rules a schema cannot express.
 */
export const DEFINITION_SCHEMA = JSON.parse(readFileSync(path.join(ROOT_DIR, 'schemas/workflow-definition.schema.json'), 'utf8')) as Record<string, unknown>;

export const NODE_TYPES = ['trigger', 'agent', 'tool', 'code', 'condition', 'join', 'approval', 'transform', 'output'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export interface RetryPolicy { attempts: number; backoffSeconds?: number }
export interface WorkflowNode {
  id: string;
  type: NodeType;
  name: string;
  config: Record<string, any>;
  position?: { x: number; y: number };
  retry?: RetryPolicy;
  timeoutSeconds?: number;
}
export interface WorkflowEdge { id: string; source: string; sourceOutput: string; target: string; targetInput: string }
export interface WorkflowDefinition { version: 1; nodes: WorkflowNode[]; edges: WorkflowEdge[]; settings?: { maxCostPerRunUsd?: number } }

/** An agent node names its agent by the API's global ID (what clients see) or by its raw id. */
export function agentIdOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const global = tryGlobalId(value);
  if (global?.typename === 'Agent' && isUuid(global.id)) return global.id;
  return isUuid(value) ? value : undefined;
}

export const PORTS = DEFINITION_SCHEMA['x-node-types'] as Record<NodeType, { label: string; inputs: string[]; outputs: string[] }>;

export interface Problem { message: string; nodeId?: string; edgeId?: string; path?: string }

const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addVocabulary(['x-node-types', 'x-picker', 'x-widget']);
const validateSchema = ajv.compile(DEFINITION_SCHEMA);

/** A manual trigger wired to an output: what a new workflow starts from. */
export function starterDefinition(): WorkflowDefinition {
  return {
    version: 1,
    nodes: [
      { id: 'trigger', type: 'trigger', name: 'Start', config: { kind: 'manual' }, position: { x: 0, y: 0 } },
      { id: 'output', type: 'output', name: 'Result', config: { value: '{{input}}' }, position: { x: 320, y: 0 } },
    ],
    edges: [{ id: 'e1', source: 'trigger', sourceOutput: 'out', target: 'output', targetInput: 'in' }],
  };
}

function schemaProblems(definition: unknown, errors: ErrorObject[]): Problem[] {
  // `if/then` failures repeat the inner error; keep the specific ones.
  const useful = errors.filter((e) => e.keyword !== 'if');
  return useful.map((e) => {
    const match = /^\/nodes\/(\d+)/.exec(e.instancePath) ?? /^\/edges\/(\d+)/.exec(e.instancePath);
    const list = e.instancePath.startsWith('/nodes') ? 'nodes' : 'edges';
    const item = match ? ((definition as Record<string, unknown[]>)[list]?.[Number(match[1])] as { id?: unknown } | undefined) : undefined;
    const id = typeof item?.id === 'string' ? item.id : undefined;
    const where = e.instancePath || 'the definition';
    const detail = e.keyword === 'additionalProperties' ? `has an unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`
      : e.keyword === 'enum' ? `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ')}`
      : e.message ?? 'is invalid';
    return { message: `${where} ${detail}`, path: e.instancePath, ...(id && list === 'nodes' ? { nodeId: id } : {}), ...(id && list === 'edges' ? { edgeId: id } : {}) };
  });
}

export interface ValidationContext {
  /** Ids of the organization's agents that may run (not archived). */
  agentIds: Set<string>;
  toolNames: Set<string>;
}

/**
 * Every problem of a definition, each with the node or edge it concerns. Structure first (the
 * JSON Schema); the graph rules only run on a structurally valid definition.
 */
export function validateDefinition(definition: unknown, ctx: ValidationContext): Problem[] {
  if (!validateSchema(definition)) return schemaProblems(definition, validateSchema.errors ?? []);
  const def = definition as WorkflowDefinition;
  const problems: Problem[] = [];
  const nodes = new Map<string, WorkflowNode>();
  for (const node of def.nodes) {
    if (nodes.has(node.id)) problems.push({ message: `Two nodes have the id "${node.id}"`, nodeId: node.id });
    nodes.set(node.id, node);
  }
  const edgeIds = new Set<string>();
  const incoming = new Map<string, WorkflowEdge[]>();
  const outgoing = new Map<string, WorkflowEdge[]>();
  for (const edge of def.edges) {
    if (edgeIds.has(edge.id)) problems.push({ message: `Two edges have the id "${edge.id}"`, edgeId: edge.id });
    edgeIds.add(edge.id);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source) { problems.push({ message: `Edge ${edge.id} starts at a node that does not exist (${edge.source})`, edgeId: edge.id }); continue; }
    if (!target) { problems.push({ message: `Edge ${edge.id} ends at a node that does not exist (${edge.target})`, edgeId: edge.id }); continue; }
    if (!PORTS[source.type].outputs.includes(edge.sourceOutput)) {
      problems.push({ message: `${source.name} has no output "${edge.sourceOutput}" (it has ${PORTS[source.type].outputs.join(', ') || 'none'})`, edgeId: edge.id, nodeId: source.id });
    }
    if (!PORTS[target.type].inputs.includes(edge.targetInput)) {
      problems.push({ message: `${target.name} has no input "${edge.targetInput}"${PORTS[target.type].inputs.length ? '' : ' (a trigger takes no input)'}`, edgeId: edge.id, nodeId: target.id });
    }
    if (edge.source === edge.target) problems.push({ message: `${source.name} is connected to itself`, edgeId: edge.id, nodeId: source.id });
    incoming.set(edge.target, [...(incoming.get(edge.target) ?? []), edge]);
    outgoing.set(edge.source, [...(outgoing.get(edge.source) ?? []), edge]);
  }

  const triggers = def.nodes.filter((n) => n.type === 'trigger');
  if (triggers.length !== 1) problems.push({ message: triggers.length ? 'A workflow has exactly one trigger' : 'Add a trigger: it is where a run starts' });
  if (!def.nodes.some((n) => n.type === 'output')) problems.push({ message: 'Add an output node: it is what a run returns' });

  for (const node of def.nodes) {
    const into = incoming.get(node.id) ?? [];
    if (node.type === 'join' && into.length < 2) problems.push({ message: `${node.name} joins branches and needs at least two incoming connections`, nodeId: node.id });
    if (node.type !== 'join' && node.type !== 'trigger' && into.length > 1) {
      problems.push({ message: `${node.name} has ${into.length} incoming connections; merge branches with a join node first`, nodeId: node.id });
    }
    if (node.type !== 'trigger' && into.length === 0) problems.push({ message: `${node.name} is not connected to anything before it`, nodeId: node.id });
    if (node.type === 'agent' && !ctx.agentIds.has(agentIdOf(node.config.agentId) ?? '')) problems.push({ message: `${node.name} uses an agent that does not exist or is archived`, nodeId: node.id, path: 'config.agentId' });
    if (node.type === 'tool' && !ctx.toolNames.has(String(node.config.tool))) problems.push({ message: `${node.name} uses an unknown tool "${String(node.config.tool)}"`, nodeId: node.id, path: 'config.tool' });
    if (node.type === 'trigger' && node.config.kind === 'schedule' && !node.config.cron) problems.push({ message: `${node.name} runs on a schedule and needs a cron expression`, nodeId: node.id, path: 'config.cron' });
  }

  // Cycles ("no infinite loops"): depth-first search over the edges.
  const state = new Map<string, 'visiting' | 'done'>();
  const inCycle = new Set<string>();
  const visit = (id: string, trail: string[]): void => {
    state.set(id, 'visiting');
    for (const edge of outgoing.get(id) ?? []) {
      const next = state.get(edge.target);
      if (next === 'visiting') trail.slice(trail.indexOf(edge.target)).concat(id).forEach((n) => inCycle.add(n));
      else if (next === undefined && nodes.has(edge.target)) visit(edge.target, [...trail, id]);
    }
    state.set(id, 'done');
  };
  for (const node of def.nodes) if (!state.has(node.id)) visit(node.id, []);
  for (const id of inCycle) problems.push({ message: `${nodes.get(id)!.name} is part of a loop; workflows cannot loop`, nodeId: id });

  // Reachability from the trigger.
  if (triggers.length === 1) {
    const reached = new Set<string>([triggers[0]!.id]);
    const queue = [triggers[0]!.id];
    while (queue.length) for (const edge of outgoing.get(queue.shift()!) ?? []) if (!reached.has(edge.target)) { reached.add(edge.target); queue.push(edge.target); }
    for (const node of def.nodes) {
      if (!reached.has(node.id) && (incoming.get(node.id)?.length ?? 0) > 0) problems.push({ message: `${node.name} can never run: nothing from the trigger leads to it`, nodeId: node.id });
    }
  }

  // Template paths must name upstream nodes (or the input).
  {
    const upstream = (id: string): Set<string> => {
      const seen = new Set<string>();
      const stack = [id];
      while (stack.length) for (const edge of incoming.get(stack.pop()!) ?? []) if (!seen.has(edge.source)) { seen.add(edge.source); stack.push(edge.source); }
      return seen;
    };
    for (const node of def.nodes) {
      const before = upstream(node.id);
      for (const ref of templatePaths(node.type === 'condition' ? node.config.rules?.map((r: { path: string }) => `{{${r.path}}}`) : node.config)) {
        const [root, nodeId] = ref.split('.');
        if (root === 'input') continue;
        if (root !== 'nodes' || !nodeId) { problems.push({ message: `${node.name} refers to "${ref}": paths start with input. or nodes.<id>.`, nodeId: node.id }); continue; }
        if (!nodes.has(nodeId)) problems.push({ message: `${node.name} refers to a node that does not exist: "${ref}"`, nodeId: node.id });
        else if (!before.has(nodeId)) problems.push({ message: `${node.name} refers to ${nodes.get(nodeId)!.name}, which does not run before it: "${ref}"`, nodeId: node.id });
      }
    }
  }
  return problems;
}

export const incomingEdges = (def: WorkflowDefinition, nodeId: string) => def.edges.filter((e) => e.target === nodeId);
export const outgoingEdges = (def: WorkflowDefinition, nodeId: string) => def.edges.filter((e) => e.source === nodeId);
export const nodeById = (def: WorkflowDefinition, nodeId: string) => def.nodes.find((n) => n.id === nodeId);
