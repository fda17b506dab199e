import { useMemo, useState } from 'react';
import { Button, Card } from '@mantine/core';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery } from 'urql';
import { ConfirmModal } from '../../../components/confirm-modal';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { TableSkeleton } from '../../../components/table-skeleton';
import { notifyError, notifySuccess } from '../../../lib/notify';
import { ApiKeysQuery, RevokeApiKeyMutation, type ApiKey } from '../api/api-keys.api';
import { ApiKeysTable } from './api-keys-table';

export function ApiKeysPanel({ onCreate }: { onCreate: () => void }) {
  const context = useMemo(() => ({ additionalTypenames: ['ApiKey'] }), []);
  const [{ data, fetching, error }, reexecute] = useQuery({ query: ApiKeysQuery, context });
  const [revokeState, revoke] = useMutation(RevokeApiKeyMutation);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const confirmRevoke = async () => {
    if (!revoking) return;
    const result = await revoke({ id: revoking.id });
    if (result.error) {
      notifyError(result.error, 'Could not revoke the key');
      return;
    }
    notifySuccess(`Requests signed with “${revoking.name}” are now rejected.`, 'API key revoked');
    setRevoking(null);
  };

  const apiKeys = data?.organization.apiKeys ?? [];

  return (
    <Card withBorder radius="md" padding={0}>
      {error && !data ? (
        <Card.Section p="lg">
          <ErrorAlert error={error} title="Could not load API keys" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
        </Card.Section>
      ) : !data && fetching ? (
        <TableSkeleton />
      ) : apiKeys.length === 0 ? (
        <EmptyState
          icon={IconKey}
          title="No API keys yet"
          description="Create a key to call the AgentFlow API from scripts, CI or your own services."
          action={
            <Button leftSection={<IconPlus size={16} />} onClick={onCreate} variant="light">
              Create your first key
            </Button>
          }
        />
      ) : (
        <ApiKeysTable apiKeys={apiKeys} onRevoke={setRevoking} />
      )}
      <ConfirmModal
        opened={revoking !== null}
        title="Revoke API key?"
        confirmLabel="Revoke key"
        loading={revokeState.fetching}
        onConfirm={confirmRevoke}
        onClose={() => setRevoking(null)}
        confirmTestId="confirm-revoke-api-key"
      >
        {revoking ? `Anything using “${revoking.name}” (${revoking.prefix}…) stops working immediately. This cannot be undone.` : null}
      </ConfirmModal>
    </Card>
  );
}
