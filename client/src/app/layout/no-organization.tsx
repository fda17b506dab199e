import { useState } from 'react';
import { Button } from '@mantine/core';
import { IconBuildingPlus } from '@tabler/icons-react';
import { EmptyState } from '../../components/empty-state';
import { CreateOrganizationModal } from '../../features/organizations/components/create-organization-modal';
import { setActiveOrganization } from '../../lib/session-store';

export function NoOrganization({ onCreated }: { onCreated: () => void }) {
  const [opened, setOpened] = useState(false);
  return (
    <>
      <EmptyState
        icon={IconBuildingPlus}
        title="You are not in any organization"
        description="Create an organization to start building agents, or ask an admin to invite you to theirs."
        testId="no-organization"
        action={
          <Button onClick={() => setOpened(true)} data-testid="create-org-open">
            Create organization
          </Button>
        }
      />
      <CreateOrganizationModal
        opened={opened}
        onClose={() => setOpened(false)}
        onCreated={(org) => {
          setOpened(false);
          setActiveOrganization(org.id);
          onCreated();
        }}
      />
    </>
  );
}
