import { Badge, Card, Group, Rating, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { ListingSummary } from '../api/marketplace.api';
import { formatPrice, KIND_LABELS, publisherLabel } from './install-state';

const installs = new Intl.NumberFormat('en-US', { notation: 'compact' });

/** One listing in the catalog grid: what it is, who publishes it, how it is rated and what it costs. */
export function ListingCard({ listing }: { listing: ListingSummary }) {
  const paid = listing.priceCents > 0;
  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      component={Link}
      to={`/marketplace/${encodeURIComponent(listing.name)}`}
      data-testid={`listing-card-${listing.name}`}
      data-kind={listing.kind}
      data-installed={listing.installation ? 'true' : 'false'}
      style={{ display: 'flex', flexDirection: 'column' }}
    >
      <Stack gap={6} style={{ flex: 1 }}>
        <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
          <Text fw={600} lineClamp={1} data-testid="listing-title">
            {listing.title}
          </Text>
          {listing.installation ? (
            <Badge color="teal" variant="light" size="sm" data-testid="listing-installed">
              Installed
            </Badge>
          ) : null}
        </Group>
        <Group gap={6}>
          <Text fz="xs" c="dimmed" data-testid="listing-publisher">
            {publisherLabel(listing)}
          </Text>
          <Badge size="xs" variant="outline" color="gray">
            {KIND_LABELS[listing.kind]}
          </Badge>
        </Group>
        <Text fz="sm" c="dimmed" lineClamp={3} style={{ flex: 1 }}>
          {listing.description}
        </Text>
        <Group justify="space-between" gap="xs" mt={4}>
          <Group gap={4} wrap="nowrap">
            <Rating value={listing.ratingAverage ?? 0} fractions={2} readOnly size="xs" aria-label="Average rating" />
            <Text fz="xs" c="dimmed" data-testid="listing-rating">
              {listing.ratingAverage === null ? 'No ratings' : `${listing.ratingAverage.toFixed(1)} (${listing.ratingCount})`}
            </Text>
          </Group>
          <Group gap={4} wrap="nowrap">
            <IconDownload size={14} stroke={1.6} aria-hidden />
            <Text fz="xs" c="dimmed" data-testid="listing-installs">
              {installs.format(listing.installCount)}
            </Text>
          </Group>
        </Group>
        <Text fz="sm" fw={600} c={paid ? 'orange' : 'teal'} data-testid="listing-price">
          {formatPrice(listing.priceCents)}
        </Text>
      </Stack>
    </Card>
  );
}
