import { Group, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconBuildingCommunity } from '@tabler/icons-react';
import { RoleBadge } from '../../../components/role-badge';
import { ROLE_DESCRIPTIONS } from '../../../lib/roles';
import type { InvitationPreview } from '../api/auth.api';

export function InvitationSummary({ invitation }: { invitation: InvitationPreview }) {
  return (
    <Paper withBorder radius="md" p="md" bg="var(--mantine-color-default-hover)" data-testid="invitation-summary">
      <Group wrap="nowrap" align="flex-start" gap="md">
        <ThemeIcon size={42} radius="md" variant="light">
          <IconBuildingCommunity size={22} />
        </ThemeIcon>
        <Stack gap={4}>
          <Text fw={600} data-testid="invitation-organization">
            {invitation.organizationName}
          </Text>
          {invitation.invitedByName ? (
            <Text fz="sm" c="dimmed" data-testid="invitation-inviter">
              Invited by {invitation.invitedByName}
            </Text>
          ) : null}
          <Text fz="sm" c="dimmed">
            For{' '}
            <Text span inherit fw={500} c="var(--mantine-color-text)" data-testid="invitation-email">
              {invitation.email}
            </Text>
          </Text>
          <Group gap={6}>
            <RoleBadge role={invitation.role} />
            <Text fz="xs" c="dimmed">
              {ROLE_DESCRIPTIONS[invitation.role]}
            </Text>
          </Group>
        </Stack>
      </Group>
    </Paper>
  );
}
