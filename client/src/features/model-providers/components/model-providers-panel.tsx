import { useMemo, useState } from 'react';
import { Badge, Button, Card, Code, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useMutation, useQuery } from 'urql';
import { ConfirmModal } from '../../../components/confirm-modal';
import { ErrorAlert } from '../../../components/error-alert';
import { TableSkeleton } from '../../../components/table-skeleton';
import { formatDateTime } from '../../../lib/format';
import { PROVIDER_LABELS } from '../../../lib/llm-providers';
import { notifyError, notifySuccess } from '../../../lib/notify';
import { ProviderKeysQuery, RemoveProviderKeyMutation, type ProviderKey, type ProviderKeySource } from '../api/provider-keys.api';
import { SetProviderKeyModal } from './set-provider-key-modal';

const SOURCES: Record<ProviderKeySource, { label: string; color: string; hint: string }> = {
  ORGANIZATION: { label: 'Organization key', color: 'teal', hint: "This organization's own key" },
  ENVIRONMENT: { label: 'Server key', color: 'blue', hint: "The key the server was started with (an environment variable)" },
  NONE: { label: 'Not configured', color: 'gray', hint: "Models of this provider can't be called" },
};

/** Settings → Model providers: which key each LLM provider uses, and this organization's own keys. */
export function ModelProvidersPanel() {
  const context = useMemo(() => ({ additionalTypenames: ['ProviderKey'] }), []);
  const [{ data, fetching, error }, reexecute] = useQuery({ query: ProviderKeysQuery, context });
  const [removeState, remove] = useMutation(RemoveProviderKeyMutation);
  const [editing, setEditing] = useState<ProviderKey | null>(null);
  const [removing, setRemoving] = useState<ProviderKey | null>(null);

  // The simulated provider needs no key.
  const keys = data?.organization.providerKeys.filter((k) => k.provider !== 'SIMULATED') ?? [];

  const confirmRemove = async () => {
    if (!removing) return;
    const result = await remove({ provider: removing.provider });
    if (result.error) {
      notifyError(result.error, 'Could not remove the key');
      return;
    }
    const after = result.data?.removeProviderKey.source;
    notifySuccess(
      after === 'ENVIRONMENT' ? 'Agents fall back to the server key.' : `${PROVIDER_LABELS[removing.provider]} models can no longer be called.`,
      'Key removed',
    );
    setRemoving(null);
  };

  return (
    <Card withBorder radius="md" padding="lg" data-testid="model-providers">
      <Stack gap="md">
        <Stack gap={2}>
          <Text fw={600}>Model providers</Text>
          <Text fz="sm" c="dimmed">
            The API keys agents call LLM providers with. Source shows which key is in use: this organization's own key, the server's key,
            or none.
          </Text>
        </Stack>
        {error && !data ? (
          <ErrorAlert error={error} title="Could not load the provider keys" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
        ) : !data && fetching ? (
          <TableSkeleton rows={4} />
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" data-testid="provider-keys-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Provider</Table.Th>
                  <Table.Th>Source</Table.Th>
                  <Table.Th>Key</Table.Th>
                  <Table.Th>Base URL</Table.Th>
                  <Table.Th w={200} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {keys.map((key) => {
                  const source = SOURCES[key.source];
                  const own = key.source === 'ORGANIZATION';
                  return (
                    <Table.Tr key={key.provider} data-testid={`provider-row-${key.provider}`}>
                      <Table.Td fz="sm" fw={600}>
                        {PROVIDER_LABELS[key.provider]}
                      </Table.Td>
                      <Table.Td>
                        <Tooltip label={key.updatedAt && own ? `${source.hint}, set ${formatDateTime(key.updatedAt)}` : source.hint} withArrow>
                          <Badge color={source.color} variant="light" size="sm" data-testid={`provider-source-${key.provider}`}>
                            {source.label}
                          </Badge>
                        </Tooltip>
                      </Table.Td>
                      <Table.Td>{key.keyHint ? <Code fz="xs">{key.keyHint}</Code> : <Text fz="sm" c="dimmed">—</Text>}</Table.Td>
                      <Table.Td fz="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                        {key.baseUrl ?? '—'}
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          <Button size="xs" variant="light" onClick={() => setEditing(key)} data-testid={`set-provider-key-${key.provider}`}>
                            {own ? 'Replace key' : 'Set key'}
                          </Button>
                          {own ? (
                            <Button size="xs" variant="subtle" color="red" onClick={() => setRemoving(key)} data-testid={`remove-provider-key-${key.provider}`}>
                              Remove
                            </Button>
                          ) : null}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <SetProviderKeyModal providerKey={editing} onClose={() => setEditing(null)} />
      <ConfirmModal
        opened={removing !== null}
        title="Remove key?"
        confirmLabel="Remove key"
        loading={removeState.fetching}
        onConfirm={confirmRemove}
        onClose={() => setRemoving(null)}
        confirmTestId="confirm-remove-provider-key"
      >
        {removing
          ? `Agents stop using this organization's ${PROVIDER_LABELS[removing.provider]} key right away. If the server has its own key, they use that instead.`
          : null}
      </ConfirmModal>
    </Card>
  );
}
