import { Alert, Anchor, List, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { WorkflowDefinition } from '../../../editor/core/definition';
import { problemNodeId, type WorkflowProblem } from '../../../editor/core/problems';

interface ValidationProblemsProps {
  problems: readonly WorkflowProblem[];
  definition: WorkflowDefinition;
  title: string;
  onSelectNode: (id: string) => void;
}

/** The server's problems with the graph; a click on a node's name selects that node. */
export function ValidationProblems({ problems, definition, title, onSelectNode }: ValidationProblemsProps) {
  if (problems.length === 0) return null;
  const names = new Map(definition.nodes.map((n) => [n.id, n.name]));
  return (
    <Alert color="red" variant="light" radius="md" icon={<IconAlertTriangle size={18} />} title={title} data-testid="validation-problems">
      <List size="sm" spacing={4}>
        {problems.map((problem, index) => {
          const nodeId = problemNodeId(problem, definition);
          return (
            <List.Item key={`${index}:${problem.message}`} data-testid="validation-problem" data-node-id={nodeId ?? undefined} data-edge-id={problem.edgeId ?? undefined}>
              {nodeId && names.has(nodeId) ? (
                <>
                  <Anchor component="button" type="button" fz="sm" fw={600} onClick={() => onSelectNode(nodeId)}>
                    {names.get(nodeId)}
                  </Anchor>
                  <Text span fz="sm">
                    {': '}
                    {problem.message}
                  </Text>
                </>
              ) : (
                <Text span fz="sm">
                  {problem.message}
                </Text>
              )}
            </List.Item>
          );
        })}
      </List>
    </Alert>
  );
}
