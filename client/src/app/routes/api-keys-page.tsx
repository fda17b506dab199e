import { useState } from 'react';
import { Button } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { PageHeader } from '../../components/page-header';
import { PermissionNotice } from '../../components/permission-notice';
import { ApiKeysPanel } from '../../features/api-keys/components/api-keys-panel';
import { CreateApiKeyModal } from '../../features/api-keys/components/create-api-key-modal';
import { useCurrentOrganization } from '../../lib/current-organization';

export function ApiKeysPage() {
  const { can } = useCurrentOrganization();
  const [creating, setCreating] = useState(false);
  const manager = can('apiKeys:manage');

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let scripts and services call the AgentFlow API on behalf of this organization."
        actions={
          manager ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="create-api-key-button">
              Create API key
            </Button>
          ) : null
        }
      />
      {manager ? (
        <>
          <ApiKeysPanel onCreate={() => setCreating(true)} />
          <CreateApiKeyModal opened={creating} onClose={() => setCreating(false)} />
        </>
      ) : (
        <PermissionNotice description="Only owners and admins can see and manage API keys. Ask one of them if you need a key." />
      )}
    </>
  );
}
