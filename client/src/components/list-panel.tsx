import type { ReactNode } from 'react';
import { Button, Card, Center, Group, Loader, SegmentedControl, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import type { ListFilter } from '../lib/use-list-filter';
import { ErrorAlert } from './error-alert';
import { TableSkeleton } from './table-skeleton';

/** The paged list a panel shows (from useConnectionPages), with its item count. */
interface PagedList {
  count: number;
  hasNextPage: boolean;
  loading: boolean;
  fetching: boolean;
  loadingMore: boolean;
  error: unknown;
  loadMore: () => void;
  reload: () => void;
}

interface ListPanelProps {
  listFilter: ListFilter;
  filters: { value: string; label: string }[];
  filterTestId: string;
  searchLabel: string;
  searchTestId: string;
  list: PagedList;
  errorTitle: string;
  loadMoreErrorTitle: string;
  loadMoreTestId: string;
  /** Shown when the list is empty. */
  empty: ReactNode;
  /** The table of items. */
  children: ReactNode;
}

/**
 * Shared because agents and workflows list their items in the same card: a status filter and name
 * search above, then an error, a skeleton, an empty state or the table with "Load more".
 */
export function ListPanel({
  listFilter,
  filters,
  filterTestId,
  searchLabel,
  searchTestId,
  list,
  errorTitle,
  loadMoreErrorTitle,
  loadMoreTestId,
  empty,
  children,
}: ListPanelProps) {
  const { filter, setFilter, search, setSearch, debounced } = listFilter;
  const { count, hasNextPage, loading, fetching, loadingMore, error, loadMore, reload } = list;
  const searching = search !== debounced || (fetching && count > 0);

  return (
    <Card withBorder radius="md" padding={0}>
      <Group px="lg" py="md" justify="space-between" gap="md" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <SegmentedControl data={filters} value={filter} onChange={setFilter} aria-label="Filter by status" data-testid={filterTestId} />
        <TextInput
          aria-label={searchLabel}
          placeholder="Search by name"
          leftSection={<IconSearch size={16} />}
          rightSection={searching ? <Loader size={14} /> : null}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          data-testid={searchTestId}
          w={{ base: '100%', sm: 280 }}
        />
      </Group>
      {error && count === 0 ? (
        <Card.Section p="lg">
          <ErrorAlert error={error} title={errorTitle} onRetry={reload} />
        </Card.Section>
      ) : loading ? (
        <TableSkeleton rows={5} />
      ) : count === 0 ? (
        empty
      ) : (
        <>
          {children}
          {error ? (
            <Card.Section p="md">
              <ErrorAlert error={error} title={loadMoreErrorTitle} onRetry={loadMore} />
            </Card.Section>
          ) : null}
          {hasNextPage ? (
            <Center py="md">
              <Button variant="default" loading={loadingMore} onClick={loadMore} data-testid={loadMoreTestId}>
                Load more
              </Button>
            </Center>
          ) : null}
        </>
      )}
    </Card>
  );
}
