import { Center, Loader, Skeleton, Stack } from '@mantine/core';

export function FullPageLoader() {
  return (
    <Center mih="100vh" data-testid="page-loader">
      <Loader type="dots" size="lg" />
    </Center>
  );
}

/** The placeholder a lazily loaded page shows inside the app shell. */
export function ContentSkeleton() {
  return (
    <Stack gap="md" data-testid="page-loader" aria-busy="true" aria-label="Loading">
      <Skeleton height={30} width={220} radius="sm" />
      <Skeleton height={16} width={360} radius="sm" />
      <Skeleton height={260} radius="md" mt="md" />
    </Stack>
  );
}
