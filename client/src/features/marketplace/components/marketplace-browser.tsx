import { useState } from 'react';
import { Button, Card, Center, Chip, Group, Loader, Skeleton, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBuildingStore, IconSearch } from '@tabler/icons-react';
import { useQuery } from 'urql';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { MarketplaceCategoriesQuery, type PluginKind } from '../api/marketplace.api';
import { useListings } from '../hooks/use-listings';
import { ListingGrid } from './listing-grid';

const KINDS: { value: string; label: string }[] = [
  { value: 'ALL', label: 'All' },
  { value: 'PLUGIN', label: 'Plugins' },
  { value: 'AGENT_TEMPLATE', label: 'Agent templates' },
  { value: 'WORKFLOW_TEMPLATE', label: 'Workflow templates' },
];

function GridSkeleton({ count }: { count: number }) {
  return (
    <Group gap="md" grow data-testid="loading-skeleton" aria-busy="true" aria-label="Loading">
      {Array.from({ length: count }, (_, i) => (
        <Skeleton key={i} height={170} radius="md" />
      ))}
    </Group>
  );
}

function Categories({ value, onChange }: { value: string | null; onChange: (value: string | null) => void }) {
  const [{ data, error }] = useQuery({ query: MarketplaceCategoriesQuery });
  // The chips only narrow the list: when they fail to load, searching still works, so say so quietly.
  if (error && !data) return <Text fz="xs" c="dimmed" data-testid="categories-error">Categories could not be loaded.</Text>;
  const categories = data?.marketplaceCategories ?? [];
  if (categories.length === 0) return null;
  return (
    <Group gap={6} data-testid="category-chips">
      {categories.map((category) => (
        <Chip
          key={category}
          size="xs"
          checked={value === category}
          onChange={(checked) => onChange(checked ? category : null)}
          data-testid={`category-${category}`}
        >
          {category}
        </Chip>
      ))}
    </Group>
  );
}

function FeaturedRow({ kind }: { kind: PluginKind | null }) {
  const { listings, loading, error, reload } = useListings({ search: '', kind, category: null, featured: true });
  if (error && listings.length === 0) return <ErrorAlert error={error} title="Could not load the featured listings" onRetry={reload} />;
  if (loading) return <GridSkeleton count={3} />;
  if (listings.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="featured-row">
      <Text fw={600}>Featured</Text>
      <ListingGrid listings={listings.slice(0, 3)} testId="featured-grid" />
    </Stack>
  );
}

/** The catalog: search (debounced), kind tabs, category chips, a featured row and the listings. */
export function MarketplaceBrowser() {
  const [kindTab, setKindTab] = useState('ALL');
  const [category, setCategory] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);
  const kind = kindTab === 'ALL' ? null : (kindTab as PluginKind);
  const { listings, hasNextPage, loading, fetching, loadingMore, error, loadMore, reload } = useListings({ search: debounced, kind, category });
  const searching = search !== debounced || (fetching && listings.length > 0);
  const filtered = debounced.trim() !== '' || category !== null;

  return (
    <Stack gap="lg">
      <Card withBorder radius="md" padding="md">
        <Stack gap="sm">
          <Group justify="space-between" gap="md">
            <Tabs value={kindTab} onChange={(v) => setKindTab(v ?? 'ALL')} variant="pills" data-testid="kind-tabs">
              <Tabs.List>
                {KINDS.map((k) => (
                  <Tabs.Tab key={k.value} value={k.value} data-testid={`kind-tab-${k.value}`}>
                    {k.label}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
            </Tabs>
            <TextInput
              aria-label="Search the marketplace"
              placeholder="Search plugins and templates"
              leftSection={<IconSearch size={16} />}
              rightSection={searching ? <Loader size={14} /> : null}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              data-testid="marketplace-search"
              w={{ base: '100%', sm: 320 }}
            />
          </Group>
          <Categories value={category} onChange={setCategory} />
        </Stack>
      </Card>
      {filtered ? null : <FeaturedRow kind={kind} />}
      <Stack gap="xs">
        {filtered ? null : <Text fw={600}>All listings</Text>}
        {error && listings.length === 0 ? (
          <ErrorAlert error={error} title="Could not load the marketplace" onRetry={reload} />
        ) : loading ? (
          <GridSkeleton count={3} />
        ) : listings.length === 0 ? (
          <Card withBorder radius="md">
            <EmptyState
              icon={IconBuildingStore}
              title={filtered ? 'Nothing matches' : 'The marketplace is empty'}
              description={
                filtered
                  ? 'No listing matches this search and category. Try other words or another category.'
                  : 'No plugin or template has been published to this server yet.'
              }
              testId="marketplace-empty"
            />
          </Card>
        ) : (
          <>
            <ListingGrid listings={listings} testId="listing-grid" />
            {error ? <ErrorAlert error={error} title="Could not load more listings" onRetry={loadMore} /> : null}
            {hasNextPage ? (
              <Center py="md">
                <Button variant="default" loading={loadingMore} onClick={loadMore} data-testid="listings-load-more">
                  Load more
                </Button>
              </Center>
            ) : null}
          </>
        )}
      </Stack>
    </Stack>
  );
}
