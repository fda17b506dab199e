import { useEffect, useState } from 'react';
import { useDebouncedValue } from '@mantine/hooks';
import { useClient } from 'urql';
import type { WorkflowDefinition } from '../../../editor/core/definition';
import { ValidateWorkflowQuery, type WorkflowProblem } from '../api/workflows.api';

export const VALIDATION_DEBOUNCE_MS = 600;

interface Checked {
  definition: WorkflowDefinition;
  problems: WorkflowProblem[];
  error: unknown;
}

/**
 * The server's verdict on a definition (cycles, unreachable nodes, ports, unknown agents...),
 * asked for once edits pause. Answers for a definition that has since changed again are dropped.
 */
export function useWorkflowValidation(definition: WorkflowDefinition | null) {
  const client = useClient();
  const [debounced] = useDebouncedValue(definition, VALIDATION_DEBOUNCE_MS);
  const [checked, setChecked] = useState<Checked | null>(null);

  useEffect(() => {
    if (!debounced) return undefined;
    let current = true;
    void client
      .query(ValidateWorkflowQuery, { definition: debounced }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((result) => {
        if (!current) return;
        setChecked({ definition: debounced, problems: result.data?.validateWorkflow.problems ?? [], error: result.error ?? null });
      });
    return () => {
      current = false;
    };
  }, [client, debounced]);

  const upToDate = checked !== null && checked.definition === definition;
  return {
    /** The latest answer's problems, kept while a newer check is on its way. */
    problems: checked?.problems ?? [],
    error: checked?.error ?? null,
    checking: definition !== null && !upToDate,
    valid: upToDate && !checked.error && checked.problems.length === 0,
  };
}
