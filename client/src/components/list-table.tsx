import type { ReactNode } from 'react';
import { Table } from '@mantine/core';

interface ListTableProps {
  minWidth: number;
  testId: string;
  headers: string[];
  /** The rows (`Table.Tr`), one per item. */
  children: ReactNode;
}

/** Shared because the list pages' tables (agents, workflows) have the same scrolling, hoverable frame and header row. */
export function ListTable({ minWidth, testId, headers, children }: ListTableProps) {
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table verticalSpacing="sm" highlightOnHover data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {headers.map((h) => (
              <Table.Th key={h}>{h}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
