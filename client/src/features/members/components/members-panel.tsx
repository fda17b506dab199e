import { useMemo, useState } from 'react';
import { Button, Card, Center, Group, Text } from '@mantine/core';
import { IconUsers } from '@tabler/icons-react';
import { useMutation, useQuery } from 'urql';
import { ConfirmModal } from '../../../components/confirm-modal';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { TableSkeleton } from '../../../components/table-skeleton';
import { notifyError, notifySuccess } from '../../../lib/notify';
import type { Can } from '../../../lib/permissions';
import { ROLE_LABELS, type Role } from '../../../lib/roles';
import { ChangeMemberRoleMutation, MembersQuery, RemoveMemberMutation, type Member } from '../api/members.api';
import { useOrganizationEvents } from '../hooks/use-organization-events';
import { MembersTable } from './members-table';

const PAGE_SIZE = 50;

interface MembersPanelProps {
  viewerId: string;
  /** The caller's permissions in the active organization. */
  can: Can;
  /** Called when an event may have changed the viewer's own organizations or role. */
  onViewerMayHaveChanged: () => void;
}

export function MembersPanel({ viewerId, can, onViewerMayHaveChanged }: MembersPanelProps) {
  const [limit, setLimit] = useState(PAGE_SIZE);
  const context = useMemo(() => ({ additionalTypenames: ['Membership'] }), []);
  const [{ data, fetching, error }, reexecute] = useQuery({ query: MembersQuery, variables: { first: limit }, context });
  const [changeState, changeRole] = useMutation(ChangeMemberRoleMutation);
  const [removeState, removeMember] = useMutation(RemoveMemberMutation);
  const [changingId, setChangingId] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);

  useOrganizationEvents((event) => {
    reexecute({ requestPolicy: 'network-only' });
    if (event.userId === viewerId || event.type === 'ORGANIZATION_RENAMED') onViewerMayHaveChanged();
  });

  const onChangeRole = async (member: Member, role: Role) => {
    setChangingId(member.id);
    const result = await changeRole({ input: { membershipId: member.id, role } });
    setChangingId(null);
    if (result.error) notifyError(result.error, 'Could not change the role');
    else notifySuccess(`${member.user.name} is now ${ROLE_LABELS[role].toLowerCase()}.`, 'Role changed');
  };

  const confirmRemove = async () => {
    if (!removing) return;
    const result = await removeMember({ membershipId: removing.id });
    if (result.error) {
      notifyError(result.error, 'Could not remove the member');
      return;
    }
    notifySuccess(`${removing.user.name} no longer has access.`, 'Member removed');
    setRemoving(null);
    reexecute({ requestPolicy: 'network-only' });
  };

  const connection = data?.organization.members;
  const members = connection?.edges.map((e) => e.node) ?? [];

  return (
    <Card withBorder radius="md" padding={0}>
      <Group justify="space-between" px="lg" py="md" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Text fw={600}>Members</Text>
        {connection ? (
          <Text fz="sm" c="dimmed" data-testid="members-count">
            {connection.totalCount} {connection.totalCount === 1 ? 'member' : 'members'}
          </Text>
        ) : null}
      </Group>
      {error && !data ? (
        <Card.Section p="lg">
          <ErrorAlert error={error} title="Could not load members" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
        </Card.Section>
      ) : !data && fetching ? (
        <TableSkeleton />
      ) : members.length === 0 ? (
        <EmptyState icon={IconUsers} title="No members yet" description="Invite your teammates to build agents together." />
      ) : (
        <MembersTable
          members={members}
          viewerId={viewerId}
          can={can}
          pendingId={changeState.fetching ? changingId : null}
          onChangeRole={onChangeRole}
          onRemove={setRemoving}
        />
      )}
      {connection?.pageInfo.hasNextPage ? (
        <Center py="md">
          <Button variant="default" loading={fetching} onClick={() => setLimit((l) => l + PAGE_SIZE)} data-testid="members-load-more">
            Load more
          </Button>
        </Center>
      ) : null}
      <ConfirmModal
        opened={removing !== null}
        title="Remove member?"
        confirmLabel="Remove member"
        loading={removeState.fetching}
        onConfirm={confirmRemove}
        onClose={() => setRemoving(null)}
        confirmTestId="confirm-remove-member"
      >
        {removing ? `${removing.user.name} (${removing.user.email}) will lose access to this organization right away.` : null}
      </ConfirmModal>
    </Card>
  );
}
