import { useMemo } from 'react';
import { useQuery } from 'urql';
import { normalizeDefinition, type WorkflowDefinition } from '../../../editor/core/definition';
import { RunWorkflowVersionsQuery, type Run } from '../api/runs.api';

/**
 * The graph of the workflow version the run executed: the workflow's current definition when the
 * run used the current version, otherwise that version's (fetched only then).
 */
export function useRunDefinition(run: Run | null | undefined): { definition: WorkflowDefinition | null; fromOtherVersion: boolean } {
  const needsVersions = Boolean(run && run.workflow.version !== run.workflowVersion);
  const [{ data }] = useQuery({ query: RunWorkflowVersionsQuery, variables: { id: run?.workflow.id ?? '' }, pause: !needsVersions });
  return useMemo(() => {
    if (!run) return { definition: null, fromOtherVersion: false };
    if (!needsVersions) return { definition: normalizeDefinition(run.workflow.definition), fromOtherVersion: false };
    const version = data?.workflow?.versions.find((v) => v.version === run.workflowVersion);
    if (version) return { definition: normalizeDefinition(version.definition), fromOtherVersion: false };
    // Still loading, or the version is gone: the current graph is the best there is.
    return { definition: data ? normalizeDefinition(run.workflow.definition) : null, fromOtherVersion: Boolean(data) };
  }, [run, needsVersions, data]);
}
