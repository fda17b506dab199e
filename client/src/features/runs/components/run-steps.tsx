import { Badge, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import type { DefinitionNode } from '../../../editor/core/definition';
import type { NodeRunStatus } from '../../../editor/core/flow-node';
import { NODE_STATUS_LOOK } from '../../../editor/core/run-status';

/** The graph's nodes as a list with their status: the same state as the canvas, readable as text. */
export function RunSteps({ nodes, statuses, selectedId, onSelect }: { nodes: readonly DefinitionNode[]; statuses: Readonly<Record<string, NodeRunStatus>>; selectedId: string | null; onSelect: (id: string) => void }) {
  return (
    <Stack gap={2} data-testid="run-steps">
      {nodes.map((node) => {
        const status = statuses[node.id] ?? 'PENDING';
        const look = NODE_STATUS_LOOK[status];
        return (
          <UnstyledButton
            key={node.id}
            onClick={() => onSelect(node.id)}
            data-testid={`step-${node.id}`}
            data-status={status}
            px="xs"
            py={4}
            style={{ borderRadius: 'var(--mantine-radius-sm)', background: selectedId === node.id ? 'var(--mantine-primary-color-light)' : undefined }}
          >
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Text fz="sm" truncate>
                {node.name}
              </Text>
              <Badge size="xs" variant={status === 'PENDING' ? 'outline' : 'light'} color={look.color}>
                {look.label}
              </Badge>
            </Group>
          </UnstyledButton>
        );
      })}
    </Stack>
  );
}
