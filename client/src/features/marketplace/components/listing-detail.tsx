import { useMemo, type ReactNode } from 'react';
import { Anchor, Badge, Card, Group, Rating, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconBuildingStore } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { TableSkeleton } from '../../../components/table-skeleton';
import type { Can } from '../../../lib/permissions';
import { MarketplaceListingQuery, type Listing } from '../api/marketplace.api';
import { formatPrice, KIND_LABELS, publisherLabel } from './install-state';
import { ListingActions } from './listing-actions';
import { PermissionsList } from './permissions-list';
import { ToolList } from './tool-list';
import { VersionList } from './version-list';
import { ReviewsSection } from './reviews-section';

function Section({ title, description, children, testId }: { title: string; description?: string; children: ReactNode; testId?: string }) {
  return (
    <Card withBorder radius="md" padding="lg" data-testid={testId}>
      <Stack gap="sm">
        <Stack gap={2}>
          <Text fw={600}>{title}</Text>
          {description ? (
            <Text fz="sm" c="dimmed">
              {description}
            </Text>
          ) : null}
        </Stack>
        {children}
      </Stack>
    </Card>
  );
}

function hasIntegration(listing: Listing): boolean {
  const integration = listing.latestVersion?.integration;
  return typeof integration === 'object' && integration !== null;
}

function ListingBody({ listing, can }: { listing: Listing; can: Can }) {
  // What installing (or upgrading to) the offered version allows, shown before any button is pressed.
  const shown = listing.installation?.pendingVersion ?? listing.latestVersion ?? listing.installation?.version ?? null;
  return (
    <Stack gap="lg" data-testid="listing-detail" data-listing={listing.name}>
      <Card withBorder radius="md" padding="lg">
        <Stack gap="md">
          <Group justify="space-between" align="flex-start" gap="md">
            <Stack gap={4}>
              <Group gap="xs">
                <Title order={2} fz={24} data-testid="listing-detail-title">
                  {listing.title}
                </Title>
                <Badge variant="outline" color="gray">
                  {KIND_LABELS[listing.kind]}
                </Badge>
                {listing.private ? <Badge color="violet" variant="light">Private</Badge> : null}
                {listing.installation ? <Badge color="teal" variant="light" data-testid="listing-installed">Installed</Badge> : null}
              </Group>
              <Text fz="sm" c="dimmed">
                by {publisherLabel(listing)} · {listing.installCount} installs
              </Text>
              <Group gap={6}>
                <Rating value={listing.ratingAverage ?? 0} fractions={2} readOnly size="sm" aria-label="Average rating" />
                <Text fz="sm" c="dimmed">
                  {listing.ratingAverage === null ? 'No ratings yet' : `${listing.ratingAverage.toFixed(1)} from ${listing.ratingCount} reviews`}
                </Text>
              </Group>
              <Group gap={6}>
                {listing.categories.map((c) => (
                  <Badge key={c} size="sm" variant="light" color="gray" tt="none">
                    {c}
                  </Badge>
                ))}
              </Group>
            </Stack>
            <Text fw={700} fz="lg" c={listing.priceCents > 0 ? 'orange' : 'teal'} data-testid="listing-price">
              {formatPrice(listing.priceCents)}
            </Text>
          </Group>
          <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="listing-description">
            {listing.description}
          </Text>
          <ListingActions listing={listing} canManage={can('plugins:manage')} />
          {listing.installation && hasIntegration(listing) ? (
            <Text fz="sm" data-testid="integration-hint">
              It connects to an outside service:{' '}
              <Anchor component={Link} to="/settings/integrations">
                add the connection in Settings → Integrations
              </Anchor>
              .
            </Text>
          ) : null}
        </Stack>
      </Card>
      {listing.kind === 'PLUGIN' ? (
        <Section
          title="Permissions"
          description={shown ? `What v${shown.version} may do once installed. Plugins run sandboxed and reach nothing else.` : undefined}
          testId="permissions-section"
        >
          {shown ? <PermissionsList permissions={shown.permissions} /> : <Text fz="sm" c="dimmed">No version yet.</Text>}
        </Section>
      ) : null}
      {listing.kind === 'PLUGIN' ? (
        <Section title="Tools" description="What agents and workflow tool nodes can call, with the input each takes.">
          <ToolList tools={shown?.tools ?? []} />
        </Section>
      ) : null}
      <Section title="Versions">
        <VersionList versions={listing.versions} installedId={listing.installation?.version.id ?? null} pendingId={listing.installation?.pendingVersion?.id ?? null} />
      </Section>
      <Section title="Reviews">
        <ReviewsSection listing={listing} canReview={can('plugins:review')} />
      </Section>
    </Stack>
  );
}

/** /marketplace/:name: one listing with its permissions, tools, versions, reviews and actions. */
export function ListingDetail({ name, can }: { name: string; can: Can }) {
  const variables = useMemo(() => ({ name }), [name]);
  const context = useMemo(() => ({ additionalTypenames: ['PluginListing', 'PluginInstallation', 'PluginReview'] }), []);
  const [{ data, error }, reexecute] = useQuery({ query: MarketplaceListingQuery, variables, context });
  const back = (
    <Anchor component={Link} to="/marketplace" fz="sm" data-testid="back-to-marketplace">
      <Group gap={4}>
        <IconArrowLeft size={14} />
        Marketplace
      </Group>
    </Anchor>
  );
  if (error && !data) {
    return (
      <Stack gap="md">
        {back}
        <ErrorAlert error={error} title="Could not load the listing" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
      </Stack>
    );
  }
  if (!data) return <TableSkeleton rows={6} />;
  if (!data.marketplaceListing) {
    return (
      <Stack gap="md">
        {back}
        <Card withBorder radius="md">
          <EmptyState icon={IconBuildingStore} title="No such listing" description={`Nothing called "${name}" is published here.`} testId="listing-not-found" />
        </Card>
      </Stack>
    );
  }
  return (
    <Stack gap="md">
      {back}
      <ListingBody listing={data.marketplaceListing} can={can} />
    </Stack>
  );
}
