import { Badge, Group, Stack, Text } from '@mantine/core';
import { IconKey, IconWorld } from '@tabler/icons-react';
import type { PluginPermissions } from '../api/marketplace.api';

interface PermissionsListProps {
  permissions: PluginPermissions;
  /** Highlights these as newly requested (an upgrade's additions). */
  added?: PluginPermissions;
  testId?: string;
}

/** The hosts a plugin may call and the secrets it may put into requests: what installing it allows. */
export function PermissionsList({ permissions, added, testId = 'listing-permissions' }: PermissionsListProps) {
  const isNew = (list: keyof PluginPermissions, item: string) => added?.[list].includes(item) ?? false;
  const none = permissions.network.length === 0 && permissions.secrets.length === 0;
  return (
    <Stack gap="xs" data-testid={testId}>
      {none ? (
        <Text fz="sm" c="dimmed" data-testid="no-permissions">
          Reaches no network host and uses no secret: it only computes on its input.
        </Text>
      ) : null}
      {permissions.network.length > 0 ? (
        <Group gap={6} align="center">
          <IconWorld size={16} stroke={1.6} aria-hidden />
          <Text fz="sm">Network hosts:</Text>
          {permissions.network.map((host) => (
            <Badge key={host} variant={isNew('network', host) ? 'filled' : 'light'} color={isNew('network', host) ? 'orange' : 'blue'} tt="none" data-testid={`permission-host-${host}`}>
              {host}
              {isNew('network', host) ? ' (new)' : ''}
            </Badge>
          ))}
        </Group>
      ) : null}
      {permissions.secrets.length > 0 ? (
        <Group gap={6} align="center">
          <IconKey size={16} stroke={1.6} aria-hidden />
          <Text fz="sm">Secrets:</Text>
          {permissions.secrets.map((secret) => (
            <Badge key={secret} variant={isNew('secrets', secret) ? 'filled' : 'light'} color={isNew('secrets', secret) ? 'orange' : 'grape'} tt="none" data-testid={`permission-secret-${secret}`}>
              {secret}
              {isNew('secrets', secret) ? ' (new)' : ''}
            </Badge>
          ))}
        </Group>
      ) : null}
    </Stack>
  );
}
