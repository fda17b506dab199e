import { useState } from 'react';
import { useDebouncedValue } from '@mantine/hooks';

/** Shared because the list panels filter by status ("ALL" for none) and a debounced name search alike. */
export function useListFilter<Status extends string>() {
  const [filter, setFilter] = useState('ALL');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);
  const status = filter === 'ALL' ? null : (filter as Status);
  const filtered = status !== null || debounced.trim() !== '';
  return { filter, setFilter, search, setSearch, debounced, status, filtered };
}

export type ListFilter = ReturnType<typeof useListFilter>;
