import { useMemo, useState } from 'react';
import { useClient, useQuery, type Client, type CombinedError } from 'urql';
import { MarketplaceListingsQuery, type ListingSummary, type ListingsPage, type PluginKind } from '../api/marketplace.api';

export const LISTINGS_PAGE_SIZE = 24;

export interface ListingFilter {
  search: string;
  kind: PluginKind | null;
  category: string | null;
  featured?: boolean;
}

interface MorePages {
  client: Client;
  key: string;
  listings: ListingSummary[];
  pageInfo: ListingsPage['pageInfo'];
  error: CombinedError | null;
}

/**
 * Marketplace listings for a filter: the first page is a query that refetches when the filter or
 * an installation changes; "Load more" appends pages by cursor (dropped when the filter changes).
 */
export function useListings({ search, kind, category, featured }: ListingFilter) {
  const client = useClient();
  const term = search.trim() || null;
  const key = `${kind ?? ''}:${category ?? ''}:${featured ? 'f' : ''}:${term ?? ''}`;
  const variables = useMemo(
    () => ({ search: term, kind, category, featured: featured ?? null, first: LISTINGS_PAGE_SIZE, after: null }),
    [term, kind, category, featured],
  );
  const context = useMemo(() => ({ additionalTypenames: ['PluginListing', 'PluginInstallation'] }), []);
  const [{ data, fetching, error }, reexecute] = useQuery({ query: MarketplaceListingsQuery, variables, context });
  const [more, setMore] = useState<MorePages | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const first = data?.marketplaceListings;
  const extra = more && more.client === client && more.key === key ? more : null;
  const pageInfo = extra?.pageInfo ?? first?.pageInfo;
  const listings = useMemo(() => {
    const byId = new Map<string, ListingSummary>();
    for (const listing of [...(first?.edges.map((e) => e.node) ?? []), ...(extra?.listings ?? [])]) {
      if (!byId.has(listing.id)) byId.set(listing.id, listing);
    }
    return [...byId.values()];
  }, [first, extra]);

  const loadMore = async () => {
    const after = pageInfo?.endCursor;
    if (!after || loadingMore) return;
    setLoadingMore(true);
    const result = await client.query(MarketplaceListingsQuery, { ...variables, after }, { requestPolicy: 'network-only' }).toPromise();
    setLoadingMore(false);
    const page = result.data?.marketplaceListings;
    setMore((prev) => {
      const kept = prev && prev.client === client && prev.key === key ? prev : null;
      return {
        client,
        key,
        listings: [...(kept?.listings ?? []), ...(page?.edges.map((e) => e.node) ?? [])],
        pageInfo: page?.pageInfo ?? kept?.pageInfo ?? { hasNextPage: true, endCursor: after },
        error: result.error ?? null,
      };
    });
  };

  return {
    listings,
    hasNextPage: pageInfo?.hasNextPage ?? false,
    loading: fetching && !data,
    fetching,
    loadingMore,
    error: error ?? extra?.error ?? null,
    loadMore: () => void loadMore(),
    reload: () => {
      setMore(null);
      reexecute({ requestPolicy: 'network-only' });
    },
  };
}
