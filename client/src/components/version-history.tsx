import { Fragment, useState, type ReactNode } from 'react';
import { Badge, Card, Group, Select, Stack, Table, Text } from '@mantine/core';
import { ErrorAlert } from './error-alert';
import { RelativeTimeCell } from './relative-time-cell';
import { TableSkeleton } from './table-skeleton';

/** What every versioned resource's version summary carries. */
export interface VersionSummary {
  version: number;
  createdBy: { name: string } | null;
  createdAt: string;
}

/** A resource-specific column, shown between "Version" and "Saved by"; `cell` renders the whole `Table.Td`. */
export interface VersionColumn<V> {
  header: string;
  cell: (version: V) => ReactNode;
}

interface VersionHistoryProps<V extends VersionSummary> {
  /** Newest first. */
  versions: V[];
  currentVersion: number;
  columns: VersionColumn<V>[];
  minWidth: number;
  /** The comparison of two different versions, usually a query wrapped in VersionDiffResult. */
  renderDiff: (from: number, to: number) => ReactNode;
}

/**
 * Shared because agents and workflows list their saved versions and compare two of them the same
 * way; only the extra columns and the diff differ.
 */
export function VersionHistory<V extends VersionSummary>({ versions, currentVersion, columns, minWidth, renderDiff }: VersionHistoryProps<V>) {
  const [from, setFrom] = useState<number | null>(versions[1]?.version ?? null);
  const [to, setTo] = useState<number | null>(versions[0]?.version ?? null);
  const options = versions.map((v) => ({ value: String(v.version), label: `v${v.version}` }));

  return (
    <Stack gap="lg" data-testid="version-history">
      <Card withBorder radius="md" padding={0}>
        <Table.ScrollContainer minWidth={minWidth}>
          <Table verticalSpacing="xs" data-testid="versions-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Version</Table.Th>
                {columns.map((c) => (
                  <Table.Th key={c.header}>{c.header}</Table.Th>
                ))}
                <Table.Th>Saved by</Table.Th>
                <Table.Th>Saved</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {versions.map((v) => (
                <Table.Tr key={v.version} data-testid={`version-row-${v.version}`}>
                  <Table.Td fz="sm" fw={600}>
                    <Group gap={6}>
                      v{v.version}
                      {v.version === currentVersion ? (
                        <Badge size="xs" variant="light">
                          current
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  {columns.map((c) => (
                    <Fragment key={c.header}>{c.cell(v)}</Fragment>
                  ))}
                  <Table.Td fz="sm">{v.createdBy?.name ?? '—'}</Table.Td>
                  <RelativeTimeCell at={v.createdAt} />
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <Card withBorder radius="md" padding="lg">
        <Stack gap="md">
          <Text fw={600}>Compare versions</Text>
          {versions.length < 2 ? (
            <Text fz="sm" c="dimmed">
              There is only one version so far. Every save adds one.
            </Text>
          ) : (
            <>
              <Group gap="md">
                <Select
                  label="From"
                  data={options}
                  value={from === null ? null : String(from)}
                  onChange={(v) => setFrom(v === null ? null : Number(v))}
                  allowDeselect={false}
                  w={120}
                  comboboxProps={{ withinPortal: true }}
                  data-testid="diff-from"
                />
                <Select
                  label="To"
                  data={options}
                  value={to === null ? null : String(to)}
                  onChange={(v) => setTo(v === null ? null : Number(v))}
                  allowDeselect={false}
                  w={120}
                  comboboxProps={{ withinPortal: true }}
                  data-testid="diff-to"
                />
              </Group>
              {from !== null && to !== null && from !== to ? (
                renderDiff(from, to)
              ) : (
                <Text fz="sm" c="dimmed">
                  Pick two different versions.
                </Text>
              )}
            </>
          )}
        </Stack>
      </Card>
    </Stack>
  );
}

interface VersionDiffResultProps<C> {
  from: number;
  to: number;
  /** The diff query's changes; undefined until it has data. */
  changes: C[] | undefined;
  error: unknown;
  onRetry: () => void;
  children: (changes: C[]) => ReactNode;
}

/** Shared because both version diffs load, fail and come back empty alike; only the table of changes differs. */
export function VersionDiffResult<C>({ from, to, changes, error, onRetry, children }: VersionDiffResultProps<C>) {
  if (error && !changes) return <ErrorAlert error={error} title="Could not compare the versions" onRetry={onRetry} />;
  if (!changes) return <TableSkeleton rows={3} />;
  if (changes.length === 0) {
    return (
      <Text fz="sm" c="dimmed" data-testid="version-diff-empty">
        v{from} and v{to} are the same.
      </Text>
    );
  }
  return <>{children(changes)}</>;
}
