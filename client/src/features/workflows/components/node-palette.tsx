import { Button, Group, Text, Tooltip } from '@mantine/core';
import {
  IconBolt,
  IconCode,
  IconFilter,
  IconFlag,
  IconGitBranch,
  IconGitMerge,
  IconRobot,
  IconTool,
  IconTransform,
  IconUserCheck,
  type Icon,
} from '@tabler/icons-react';
import { NODE_TYPES, nodeTypeInfo } from '../../../editor/core/definition';
import { NODE_TYPE_MIME } from '../../../editor/core/flow-controller';

export const NODE_TYPE_ICONS: Record<string, Icon> = {
  trigger: IconBolt,
  agent: IconRobot,
  tool: IconTool,
  code: IconCode,
  condition: IconGitBranch,
  join: IconGitMerge,
  approval: IconUserCheck,
  transform: IconTransform,
  output: IconFlag,
};

const HINTS: Record<string, string> = {
  trigger: 'Where a run starts: by hand, a webhook or a schedule',
  agent: 'Asks one of your agents',
  tool: 'Calls a tool with arguments',
  code: 'Runs your JavaScript in the sandbox',
  condition: 'Takes the true or false branch',
  join: 'Waits for branches to meet',
  approval: 'Waits for a person to approve or reject',
  transform: 'Builds an object from earlier results',
  output: "The run's result",
};

/** Node types to add: click to place one in view, or drag it onto the canvas. */
export function NodePalette({ onAdd }: { onAdd: (type: string) => void }) {
  return (
    <Group gap={6} data-testid="node-palette" wrap="wrap">
      <Text fz="xs" c="dimmed" fw={600} tt="uppercase" mr={4}>
        Add
      </Text>
      {NODE_TYPES.map((type) => {
        const IconComponent = NODE_TYPE_ICONS[type] ?? IconFilter;
        return (
          <Tooltip key={type} label={HINTS[type] ?? type} withArrow openDelay={400}>
            <Button
              size="compact-sm"
              variant="default"
              leftSection={<IconComponent size={14} />}
              onClick={() => onAdd(type)}
              draggable
              onDragStart={(event) => {
                event.dataTransfer.setData(NODE_TYPE_MIME, type);
                event.dataTransfer.effectAllowed = 'copy';
              }}
              data-testid={`palette-${type}`}
            >
              {nodeTypeInfo(type).label}
            </Button>
          </Tooltip>
        );
      })}
    </Group>
  );
}
