import { Badge, Code, Group, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { formatDate } from '../../../lib/format';
import type { PluginVersion } from '../api/marketplace.api';

const size = new Intl.NumberFormat('en-US', { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 1 });

interface VersionListProps {
  versions: readonly PluginVersion[];
  installedId: string | null;
  pendingId: string | null;
}

/** Every published version, newest first, with its changelog. */
export function VersionList({ versions, installedId, pendingId }: VersionListProps) {
  if (versions.length === 0) return <Text fz="sm" c="dimmed">No version has been published.</Text>;
  return (
    <Stack gap="sm" data-testid="listing-versions">
      {versions.map((version) => (
        <Paper key={version.id} withBorder radius="md" p="sm" data-testid={`version-${version.version}`}>
          <Stack gap={6}>
            <Group justify="space-between" gap="xs">
              <Group gap="xs">
                <Text fw={600}>v{version.version}</Text>
                {version.id === installedId ? <Badge size="sm" color="teal" variant="light">Installed</Badge> : null}
                {version.id === pendingId ? <Badge size="sm" color="orange" variant="light">Awaiting consent</Badge> : null}
                {version.signed ? (
                  <Badge size="sm" color="blue" variant="outline">Signed</Badge>
                ) : (
                  <Badge size="sm" color="gray" variant="outline">Unsigned</Badge>
                )}
              </Group>
              <Group gap="xs">
                <Tooltip label={`sha256 ${version.sha256}`} withArrow>
                  <Code fz="xs">{version.sha256.slice(0, 12)}</Code>
                </Tooltip>
                <Text fz="xs" c="dimmed">
                  {size.format(version.sizeBytes / 1024)} · {formatDate(version.createdAt)}
                </Text>
              </Group>
            </Group>
            <Text fz="sm" c={version.changelog ? undefined : 'dimmed'} style={{ whiteSpace: 'pre-wrap' }} data-testid="version-changelog">
              {version.changelog || 'No changelog.'}
            </Text>
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
