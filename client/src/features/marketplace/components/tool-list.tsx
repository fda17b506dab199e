import { Accordion, Code, Group, Stack, Text } from '@mantine/core';
import type { ListingTool } from '../api/marketplace.api';
import { SchemaBlock } from './schema-block';

/** A version's tools: id, what it does and the input it takes. */
export function ToolList({ tools }: { tools: readonly ListingTool[] }) {
  if (tools.length === 0) {
    return (
      <Text fz="sm" c="dimmed">
        This listing has no tools.
      </Text>
    );
  }
  return (
    <Accordion variant="separated" radius="md" multiple data-testid="listing-tools">
      {tools.map((tool) => (
        <Accordion.Item key={tool.id} value={tool.id} data-testid={`listing-tool-${tool.id}`}>
          <Accordion.Control>
            <Stack gap={2}>
              <Group gap="xs">
                <Text fw={600} fz="sm">
                  {tool.title ?? tool.id.slice(tool.id.indexOf('.') + 1)}
                </Text>
                <Code fz="xs">{tool.id}</Code>
              </Group>
              <Text fz="xs" c="dimmed">
                {tool.description}
              </Text>
            </Stack>
          </Accordion.Control>
          <Accordion.Panel>
            <Text fz="xs" fw={600} mb={4}>
              Input schema
            </Text>
            <SchemaBlock value={tool.inputSchema} testId={`tool-schema-${tool.id}`} />
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}
