import { SimpleGrid } from '@mantine/core';
import type { ListingSummary } from '../api/marketplace.api';
import { ListingCard } from './listing-card';

export function ListingGrid({ listings, testId }: { listings: readonly ListingSummary[]; testId: string }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" data-testid={testId}>
      {listings.map((listing) => (
        <ListingCard key={listing.id} listing={listing} />
      ))}
    </SimpleGrid>
  );
}
