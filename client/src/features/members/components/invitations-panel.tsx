import { useMemo } from 'react';
import { Button, Card, Group, Table, Text } from '@mantine/core';
import { IconMailForward } from '@tabler/icons-react';
import { useMutation, useQuery } from 'urql';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { RoleBadge } from '../../../components/role-badge';
import { TableSkeleton } from '../../../components/table-skeleton';
import { formatDate, formatRelative } from '../../../lib/format';
import { notifyError, notifySuccess } from '../../../lib/notify';
import { InvitationsQuery, RevokeInvitationMutation, type Invitation } from '../api/members.api';
import { useOrganizationEvents } from '../hooks/use-organization-events';

export function InvitationsPanel() {
  const context = useMemo(() => ({ additionalTypenames: ['Invitation'] }), []);
  const [{ data, fetching, error }, reexecute] = useQuery({ query: InvitationsQuery, context });
  const [revokeState, revoke] = useMutation(RevokeInvitationMutation);

  useOrganizationEvents((event) => {
    if (event.type === 'INVITATION_CREATED' || event.type === 'MEMBER_JOINED') reexecute({ requestPolicy: 'network-only' });
  });

  const onRevoke = async (invitation: Invitation) => {
    const result = await revoke({ id: invitation.id });
    if (result.error) notifyError(result.error, 'Could not revoke the invitation');
    else notifySuccess(`The invitation for ${invitation.email} no longer works.`, 'Invitation revoked');
  };

  const pending = data?.organization.invitations.filter((i) => i.status === 'PENDING') ?? [];

  return (
    <Card withBorder radius="md" padding={0} data-testid="invitations-panel">
      <Group px="lg" py="md" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Text fw={600}>Pending invitations</Text>
      </Group>
      {error && !data ? (
        <Card.Section p="lg">
          <ErrorAlert error={error} title="Could not load invitations" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
        </Card.Section>
      ) : !data && fetching ? (
        <TableSkeleton rows={2} />
      ) : pending.length === 0 ? (
        <EmptyState icon={IconMailForward} title="No pending invitations" description="Invitations you send appear here until they are accepted." />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" data-testid="invitations-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Email</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Invited by</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th w={100} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {pending.map((invitation) => (
                <Table.Tr key={invitation.id} data-testid={`invitation-row-${invitation.email}`}>
                  <Table.Td fz="sm" fw={500}>
                    {invitation.email}
                  </Table.Td>
                  <Table.Td>
                    <RoleBadge role={invitation.role} />
                  </Table.Td>
                  <Table.Td fz="sm" c="dimmed">
                    {invitation.invitedBy?.name ?? '—'}
                  </Table.Td>
                  <Table.Td fz="sm" c="dimmed" title={formatDate(invitation.expiresAt)}>
                    {formatRelative(invitation.expiresAt)}
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      loading={revokeState.fetching && revokeState.operation?.variables.id === invitation.id}
                      onClick={() => onRevoke(invitation)}
                      data-testid={`revoke-invitation-${invitation.email}`}
                    >
                      Revoke
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
