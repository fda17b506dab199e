import { Fragment, useCallback, useMemo, useState } from 'react';
import { Badge, Button, Card, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconPlug, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery } from 'urql';
import { ConfirmModal } from '../../../components/confirm-modal';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { TableSkeleton } from '../../../components/table-skeleton';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { notifyError, notifySuccess } from '../../../lib/notify';
import {
  ConnectIntegrationMutation,
  DeleteIntegrationMutation,
  DisconnectIntegrationMutation,
  IntegrationsQuery,
  TestIntegrationMutation,
  type Integration,
} from '../api/integrations.api';
import { useOAuthReturn } from '../hooks/use-oauth-return';
import { AddIntegrationModal } from './add-integration-modal';
import { goTo } from './go-to';
import { IntegrationActions } from './integration-actions';
import { IntegrationStatusBadge } from './integration-status-badge';

// Deleting answers with an id only: refetch the list.
const DELETE_CONTEXT = { additionalTypenames: ['Integration'] };

interface RowProps {
  integration: Integration;
  canManage: boolean;
  expanded: boolean;
  onToggle: () => void;
  onDelete: () => void;
}

function IntegrationRow({ integration, canManage, expanded, onToggle, onDelete }: RowProps) {
  const [testState, test] = useMutation(TestIntegrationMutation);
  const [connectState, connect] = useMutation(ConnectIntegrationMutation);
  const [disconnectState, disconnect] = useMutation(DisconnectIntegrationMutation);
  const oauth = integration.authType === 'OAUTH2';

  const runTest = async () => {
    const result = await test({ id: integration.id });
    const outcome = result.data?.testIntegration;
    if (!outcome) return notifyError(result.error, 'Could not test the integration');
    if (outcome.ok) notifySuccess(outcome.message, `${integration.name} works`);
    else notifyError(outcome.message, `${integration.name} does not work`);
  };
  const runConnect = async () => {
    const result = await connect({ input: { integrationId: integration.id } });
    const url = result.data?.connectIntegration.authorizeUrl;
    if (url) goTo(url);
    else notifyError(result.error, 'Could not start the connection');
  };
  const runDisconnect = async () => {
    const result = await disconnect({ id: integration.id });
    if (result.error) notifyError(result.error, 'Could not disconnect');
    else notifySuccess(`${integration.name} is disconnected; its tokens are deleted.`, 'Disconnected');
  };

  return (
    <Fragment>
      <Table.Tr data-testid={`integration-row-${integration.pluginName}`} data-status={integration.status}>
        <Table.Td>
          <Stack gap={0}>
            <Text fz="sm" fw={600}>
              {integration.name}
            </Text>
            <Text fz="xs" c="dimmed">
              {integration.pluginName} · {oauth ? 'OAuth' : 'API key'}
            </Text>
          </Stack>
        </Table.Td>
        <Table.Td>
          <Stack gap={2}>
            <IntegrationStatusBadge status={integration.status} />
            {integration.statusMessage ? (
              <Text fz="xs" c={integration.status === 'ERROR' ? 'red' : 'dimmed'} data-testid="integration-status-message">
                {integration.statusMessage}
              </Text>
            ) : null}
          </Stack>
        </Table.Td>
        <Table.Td>
          <Tooltip label={formatDateTime(integration.lastUsedAt, 'Never used')} withArrow>
            <Text fz="sm" c="dimmed" data-testid="integration-last-used">
              {formatRelative(integration.lastUsedAt, 'Never')}
            </Text>
          </Tooltip>
        </Table.Td>
        <Table.Td>
          <Group gap={4} justify="flex-end" wrap="nowrap">
            <Button size="xs" variant="subtle" onClick={onToggle} data-testid="integration-actions-toggle">
              {expanded ? 'Hide actions' : 'Actions'}
            </Button>
            {canManage ? (
              <>
                {oauth && integration.status !== 'CONNECTED' ? (
                  <Button size="xs" variant="light" onClick={() => void runConnect()} loading={connectState.fetching} data-testid="integration-connect">
                    Connect
                  </Button>
                ) : null}
                {integration.status !== 'DISCONNECTED' ? (
                  <Button size="xs" variant="light" onClick={() => void runTest()} loading={testState.fetching} data-testid="integration-test">
                    Test
                  </Button>
                ) : null}
                {integration.status === 'CONNECTED' ? (
                  <Button size="xs" variant="subtle" color="gray" onClick={() => void runDisconnect()} loading={disconnectState.fetching} data-testid="integration-disconnect">
                    Disconnect
                  </Button>
                ) : null}
                <Button size="xs" variant="subtle" color="red" onClick={onDelete} data-testid="integration-delete">
                  Delete
                </Button>
              </>
            ) : null}
          </Group>
        </Table.Td>
      </Table.Tr>
      {expanded ? (
        <Table.Tr>
          <Table.Td colSpan={4} bg="var(--mantine-color-default-hover)">
            <IntegrationActions integrationId={integration.id} />
          </Table.Td>
        </Table.Tr>
      ) : null}
    </Fragment>
  );
}

/** Settings → Integrations: the organization's connections to outside services through plugins. */
export function IntegrationsPanel({ canManage }: { canManage: boolean }) {
  const context = useMemo(() => ({ additionalTypenames: ['Integration'] }), []);
  const [{ data, error }, reexecute] = useQuery({ query: IntegrationsQuery, context });
  const [deleteState, remove] = useMutation(DeleteIntegrationMutation);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Integration | null>(null);
  const [expanded, setExpanded] = useState<string | null>(null);
  const integrations = data?.integrations;
  const nameOf = useCallback((id: string) => integrations?.find((i) => i.id === id)?.name, [integrations]);
  useOAuthReturn(nameOf, Boolean(data || error));

  const confirmDelete = async () => {
    if (!deleting) return;
    const result = await remove({ id: deleting.id }, DELETE_CONTEXT);
    if (result.error) return notifyError(result.error, 'Could not delete the integration');
    notifySuccess(`${deleting.name} is deleted with its credentials.`, 'Integration deleted');
    setDeleting(null);
  };

  return (
    <Card withBorder radius="md" padding="lg" data-testid="integrations-panel">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Text fw={600}>Integrations</Text>
            <Text fz="sm" c="dimmed">
              Connections to outside services that installed plugins use on this organization's behalf. Credentials are stored encrypted.
            </Text>
          </Stack>
          {canManage ? (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)} data-testid="add-integration-button">
              Add integration
            </Button>
          ) : (
            <Badge variant="light" color="gray">
              Read only
            </Badge>
          )}
        </Group>
        {error && !data ? (
          <ErrorAlert error={error} title="Could not load the integrations" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
        ) : !integrations ? (
          <TableSkeleton rows={3} />
        ) : integrations.length === 0 ? (
          <EmptyState
            icon={IconPlug}
            title="No integrations yet"
            description="Install a plugin such as Slack or Gmail from the Marketplace, then connect it here so agents can act in that service."
            testId="integrations-empty"
          />
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" data-testid="integrations-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Integration</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {integrations.map((integration) => (
                  <IntegrationRow
                    key={integration.id}
                    integration={integration}
                    canManage={canManage}
                    expanded={expanded === integration.id}
                    onToggle={() => setExpanded(expanded === integration.id ? null : integration.id)}
                    onDelete={() => setDeleting(integration)}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      {canManage ? <AddIntegrationModal opened={adding} onClose={() => setAdding(false)} /> : null}
      <ConfirmModal
        opened={deleting !== null}
        title="Delete integration?"
        confirmLabel="Delete"
        loading={deleteState.fetching}
        onConfirm={() => void confirmDelete()}
        onClose={() => setDeleting(null)}
        confirmTestId="confirm-delete-integration"
      >
        {deleting ? `${deleting.name} and its stored credentials are deleted. Agents calling ${deleting.pluginName}'s tools fail until it is connected again.` : null}
      </ConfirmModal>
    </Card>
  );
}
