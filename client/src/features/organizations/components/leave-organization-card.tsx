import { useState } from 'react';
import { Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconDoorExit } from '@tabler/icons-react';
import { useMutation } from 'urql';
import { ConfirmModal } from '../../../components/confirm-modal';
import { notifyError } from '../../../lib/notify';
import { LeaveOrganizationMutation } from '../api/organizations.api';

export function LeaveOrganizationCard({ organizationName, onLeft }: { organizationName: string; onLeft: (organizationId: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [state, leave] = useMutation(LeaveOrganizationMutation);

  const confirm = async () => {
    const result = await leave({});
    if (result.error) {
      notifyError(result.error, 'Could not leave the organization');
      return;
    }
    setConfirming(false);
    if (result.data) onLeft(result.data.leaveOrganization);
  };

  return (
    <Card withBorder radius="md" padding="lg" style={{ borderColor: 'var(--mantine-color-red-light-color)' }}>
      <Group justify="space-between" wrap="wrap" gap="md">
        <Stack gap={4} maw={520}>
          <Text fw={600}>Leave organization</Text>
          <Text fz="sm" c="dimmed">
            You will lose access to {organizationName} and everything in it. An admin can invite you back. The last
            owner cannot leave.
          </Text>
        </Stack>
        <Button color="red" variant="light" leftSection={<IconDoorExit size={16} />} onClick={() => setConfirming(true)} data-testid="leave-org-button">
          Leave organization
        </Button>
      </Group>
      <ConfirmModal
        opened={confirming}
        title={`Leave ${organizationName}?`}
        confirmLabel="Leave organization"
        loading={state.fetching}
        onConfirm={confirm}
        onClose={() => setConfirming(false)}
        confirmTestId="confirm-leave-org"
      >
        You will immediately lose access to this organization.
      </ConfirmModal>
    </Card>
  );
}
