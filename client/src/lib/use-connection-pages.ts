import { useMemo, useState } from 'react';
import {
  useClient,
  useQuery,
  type Client,
  type CombinedError,
  type OperationContext,
  type RequestPolicy,
  type TypedDocumentNode,
} from 'urql';

/** The part of a Relay-style connection the list hooks read. */
export interface Connection<TNode> {
  edges: { node: TNode }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface ConnectionPagesArgs<Data, Variables extends { after: string | null }, TNode> {
  query: TypedDocumentNode<Data, Variables>;
  /** The first page's variables (`after: null`), memoized; "Load more" sends them with a cursor. */
  variables: Variables;
  /** Identifies the filter: pages loaded for another key (or another client) are dropped. */
  key: string;
  /** The connection inside the query's data (a property read, so it is the same object while the data is). */
  connection: (data: Data) => Connection<TNode>;
  context?: Partial<OperationContext>;
  requestPolicy?: RequestPolicy;
  /** Show a node once when it appears on more than one page (it moved to the first page while paging). */
  dedupeById?: boolean;
}

interface MorePages<TNode> {
  client: Client;
  key: string;
  nodes: TNode[];
  pageInfo: Connection<TNode>['pageInfo'];
  error: CombinedError | null;
}

/**
 * The paging behind the app's cursor-paginated lists (agents, workflows, runs, audit log,
 * marketplace), kept in one place so they page alike: the first page is an ordinary query that
 * refetches when its variables, the client or (through `context`) a listed type changes; "Load
 * more" appends pages by cursor, and pages loaded for another filter or client are dropped.
 */
export function useConnectionPages<Data, Variables extends { after: string | null }, TNode extends { id: string }>({
  query,
  variables,
  key,
  connection,
  context,
  requestPolicy,
  dedupeById = false,
}: ConnectionPagesArgs<Data, Variables, TNode>) {
  const client = useClient();
  const [{ data, fetching, error }, reexecute] = useQuery<Data, Variables>({ query, variables, context, requestPolicy });
  const [more, setMore] = useState<MorePages<TNode> | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const first = data ? connection(data) : undefined;
  const extra = more && more.client === client && more.key === key ? more : null;
  const pageInfo = extra?.pageInfo ?? first?.pageInfo;
  const nodes = useMemo(() => {
    const all = [...(first?.edges.map((e) => e.node) ?? []), ...(extra?.nodes ?? [])];
    if (!dedupeById) return all;
    const byId = new Map<string, TNode>();
    for (const node of all) if (!byId.has(node.id)) byId.set(node.id, node);
    return [...byId.values()];
  }, [first, extra, dedupeById]);

  const loadMore = async () => {
    const after = pageInfo?.endCursor;
    if (!after || loadingMore) return;
    setLoadingMore(true);
    const result = await client.query(query, { ...variables, after }, { requestPolicy: 'network-only' }).toPromise();
    setLoadingMore(false);
    const page = result.data ? connection(result.data) : undefined;
    setMore((prev) => {
      const kept = prev && prev.client === client && prev.key === key ? prev : null;
      return {
        client,
        key,
        nodes: [...(kept?.nodes ?? []), ...(page?.edges.map((e) => e.node) ?? [])],
        pageInfo: page?.pageInfo ?? kept?.pageInfo ?? { hasNextPage: true, endCursor: after },
        error: result.error ?? null,
      };
    });
  };

  return {
    nodes,
    hasNextPage: pageInfo?.hasNextPage ?? false,
    loading: fetching && !data,
    fetching,
    loadingMore,
    error: error ?? extra?.error ?? null,
    loadMore: () => void loadMore(),
    /** The first page again, quietly (live updates); loaded pages stay. */
    refresh: () => reexecute({ requestPolicy: 'network-only' }),
    /** The first page again, dropping the pages loaded after it. */
    reload: () => {
      setMore(null);
      reexecute({ requestPolicy: 'network-only' });
    },
  };
}
