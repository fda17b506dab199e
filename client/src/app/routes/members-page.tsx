import { useState } from 'react';
import { Button, Stack } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { PageHeader } from '../../components/page-header';
import { DevOutboxPanel } from '../../features/members/components/dev-outbox-panel';
import { InvitationsPanel } from '../../features/members/components/invitations-panel';
import { InviteMemberModal } from '../../features/members/components/invite-member-modal';
import { MembersPanel } from '../../features/members/components/members-panel';
import { useCurrentOrganization } from '../../lib/current-organization';

export function MembersPage() {
  const { organization, viewer, can, refresh } = useCurrentOrganization();
  const [inviting, setInviting] = useState(false);
  const inviter = can('members:invite');

  return (
    <>
      <PageHeader
        title="Members"
        description={`People who can access ${organization.name} and what they may do.`}
        actions={
          inviter ? (
            <Button leftSection={<IconUserPlus size={16} />} onClick={() => setInviting(true)} data-testid="invite-member-button">
              Invite member
            </Button>
          ) : null
        }
      />
      <Stack gap="lg">
        <MembersPanel viewerId={viewer.id} can={can} onViewerMayHaveChanged={refresh} />
        {inviter ? <InvitationsPanel /> : null}
        {can('outbox:read') ? <DevOutboxPanel /> : null}
      </Stack>
      {inviter ? <InviteMemberModal opened={inviting} can={can} onClose={() => setInviting(false)} /> : null}
    </>
  );
}
