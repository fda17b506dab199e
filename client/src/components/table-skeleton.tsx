import { Skeleton, Stack } from '@mantine/core';

export function TableSkeleton({ rows = 4 }: { rows?: number }) {
  return (
    <Stack gap="sm" p="md" data-testid="loading-skeleton" aria-busy="true" aria-label="Loading">
      <Skeleton height={14} width="35%" radius="sm" />
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} height={34} radius="sm" />
      ))}
    </Stack>
  );
}
