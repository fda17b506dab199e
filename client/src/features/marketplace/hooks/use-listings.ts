import { useMemo } from 'react';
import { useConnectionPages } from '../../../lib/use-connection-pages';
import { MarketplaceListingsQuery, type PluginKind } from '../api/marketplace.api';

export const LISTINGS_PAGE_SIZE = 24;

export interface ListingFilter {
  search: string;
  kind: PluginKind | null;
  category: string | null;
  featured?: boolean;
}

/**
 * Marketplace listings for a filter: the first page is a query that refetches when the filter or
 * an installation changes; "Load more" appends pages by cursor (dropped when the filter changes).
 */
export function useListings({ search, kind, category, featured }: ListingFilter) {
  const term = search.trim() || null;
  const variables = useMemo(
    () => ({ search: term, kind, category, featured: featured ?? null, first: LISTINGS_PAGE_SIZE, after: null }),
    [term, kind, category, featured],
  );
  const context = useMemo(() => ({ additionalTypenames: ['PluginListing', 'PluginInstallation'] }), []);
  const { nodes: listings, hasNextPage, loading, fetching, loadingMore, error, loadMore, reload } = useConnectionPages({
    query: MarketplaceListingsQuery,
    variables,
    context,
    key: `${kind ?? ''}:${category ?? ''}:${featured ? 'f' : ''}:${term ?? ''}`,
    connection: (data) => data.marketplaceListings,
    dedupeById: true,
  });
  return { listings, hasNextPage, loading, fetching, loadingMore, error, loadMore, reload };
}
