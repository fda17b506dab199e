import { Table, Text, Tooltip } from '@mantine/core';
import { formatDateTime, formatRelative } from '../lib/format';

/** Shared because every dated table (versions, agents, workflows) shows "3 days ago" with the exact time on hover the same way. */
export function RelativeTimeCell({ at }: { at: string }) {
  return (
    <Table.Td fz="sm" c="dimmed">
      <Tooltip label={formatDateTime(at)} withArrow>
        <Text span fz="sm">
          {formatRelative(at)}
        </Text>
      </Tooltip>
    </Table.Td>
  );
}
