import { Anchor, Badge, Card, ScrollArea, Table, Text } from '@mantine/core';
import type { RunEvent } from '../api/runs.api';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function color(type: string): string {
  if (type.endsWith('.failed')) return 'red';
  if (type.endsWith('.succeeded')) return 'green';
  if (type.endsWith('.waiting') || type.startsWith('approval.')) return 'orange';
  if (type.endsWith('.retrying')) return 'yellow';
  if (type.endsWith('.cancelled') || type.endsWith('.skipped')) return 'gray';
  return 'blue';
}

/** The run's event log, oldest first. */
export function RunEventLog({ events, nodeNames, onSelectNode }: { events: readonly RunEvent[]; nodeNames: Readonly<Record<string, string>>; onSelectNode: (id: string) => void }) {
  return (
    <Card withBorder radius="md" padding={0} data-testid="run-event-log" data-count={events.length}>
      <Text fw={600} px="md" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        Events
      </Text>
      {events.length === 0 ? (
        <Text fz="sm" c="dimmed" p="md">
          No events yet.
        </Text>
      ) : (
        <ScrollArea.Autosize mah={360}>
          <Table verticalSpacing={4} fz="sm">
            <Table.Tbody>
              {events.map((event) => (
                <Table.Tr key={event.id} data-testid="run-event" data-event-id={event.id} data-type={event.type} data-node-id={event.nodeId ?? undefined}>
                  <Table.Td c="dimmed" w={90} style={{ whiteSpace: 'nowrap' }}>
                    {time.format(new Date(event.createdAt))}
                  </Table.Td>
                  <Table.Td w={170}>
                    <Badge size="xs" variant="light" color={color(event.type)} tt="none">
                      {event.type}
                    </Badge>
                  </Table.Td>
                  <Table.Td w={160}>
                    {event.nodeId ? (
                      <Anchor component="button" type="button" fz="sm" onClick={() => onSelectNode(event.nodeId!)}>
                        {nodeNames[event.nodeId] ?? event.nodeId}
                      </Anchor>
                    ) : null}
                  </Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{event.message ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </Card>
  );
}
