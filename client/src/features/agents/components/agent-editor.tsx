import { useCallback, useMemo, useState } from 'react';
import { Alert, Anchor, Button, Grid, Group, Stack, Tabs, Text } from '@mantine/core';
import { IconAlertTriangle, IconArchive, IconRobotOff } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';
import { ConfirmModal } from '../../../components/confirm-modal';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { TableSkeleton } from '../../../components/table-skeleton';
import { hasErrorCode } from '../../../lib/errors';
import { formatRelative, formatUsd } from '../../../lib/format';
import { notifyError, notifySuccess } from '../../../lib/notify';
import type { Can } from '../../../lib/permissions';
import { AgentQuery, ArchiveAgentMutation, UpdateAgentMutation, type Agent } from '../api/agents.api';
import { AgentForm } from './agent-form';
import { toUpdateInput, valuesFromAgent, type AgentFormValues } from './agent-form-values';
import { AgentStatusBadge } from './agent-status-badge';
import { WithBuilderOptions } from './builder-options';
import { TestChatPanel } from './test-chat-panel';
import { VersionHistory } from './version-history';

interface AgentEditorProps {
  agentId: string;
  /** The caller's permissions in the active organization. */
  can: Can;
}

function ConflictNotice({ base, latest, onReload }: { base: Agent; latest: Agent | null; onReload: () => void }) {
  const newer = latest && latest.version > base.version ? latest : null;
  const by = newer?.versions.find((v) => v.version === newer.version)?.createdBy?.name ?? 'Someone else';
  return (
    <Alert
      color="orange"
      variant="light"
      radius="md"
      icon={<IconAlertTriangle size={18} />}
      title={newer ? `${by} saved version ${newer.version} while you were editing` : 'Someone else changed this agent'}
      data-testid="agent-conflict"
    >
      <Stack gap="xs">
        <Text fz="sm">
          {newer
            ? `Your edits are based on version ${base.version}, so saving them would overwrite version ${newer.version} (saved ${formatRelative(newer.updatedAt)}). `
            : 'Your edits are based on an older version, so they were not saved. '}
          Reload to continue from the latest version; your unsaved edits will be discarded.
        </Text>
        <Group>
          <Button size="xs" color="orange" onClick={onReload} data-testid="agent-conflict-reload">
            {newer ? `Reload version ${newer.version}` : 'Reload'}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/** /agents/:id: the builder for a saved agent, with its test chat and version history. */
export function AgentEditor({ agentId, can }: AgentEditorProps) {
  const client = useClient();
  const navigate = useNavigate();
  const context = useMemo(() => ({ additionalTypenames: ['Agent'] }), []);
  const [{ data, error }, reexecute] = useQuery({ query: AgentQuery, variables: { id: agentId }, context });
  const [updateState, update] = useMutation(UpdateAgentMutation);
  const [archiveState, archive] = useMutation(ArchiveAgentMutation);
  // The version the form was loaded from: the server refuses saves based on an older one.
  const [base, setBase] = useState<Agent | null>(null);
  const [dirty, setDirty] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const [tab, setTab] = useState<string | null>('configure');

  const latest = data?.agent ?? null;
  const canManage = can('agents:manage');
  const readOnly = !canManage || (latest ?? base)?.status === 'ARCHIVED';
  // Follow the server while there is nothing to lose; otherwise ConflictNotice asks first.
  if (latest && (!base || base.id !== latest.id || (latest.version > base.version && (!dirty || readOnly)))) {
    setBase(latest);
    setConflict(false);
  }
  const stale = Boolean(base && latest && latest.version > base.version);
  const onDirtyChange = useCallback((value: boolean) => setDirty(value), []);

  if (!base) {
    if (error) return <ErrorAlert error={error} title="Could not load the agent" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
    if (data && !data.agent) {
      return (
        <EmptyState
          icon={IconRobotOff}
          title="Agent not found"
          description="It may have been deleted, or it belongs to another organization."
          testId="agent-not-found"
          action={
            <Button component={Link} to="/agents" variant="light">
              Back to agents
            </Button>
          }
        />
      );
    }
    return <TableSkeleton rows={6} />;
  }

  const agent = base;
  const current = latest ?? base;

  const save = async (values: AgentFormValues) => {
    const result = await update({ input: toUpdateInput(agent, values) });
    const saved = result.data?.updateAgent;
    if (saved) {
      setBase(saved);
      notifySuccess(`${saved.name} is now at version ${saved.version}.`, 'Agent saved');
      return null;
    }
    if (hasErrorCode(result.error, 'CONFLICT')) {
      // Learn which version is the latest; ConflictNotice names it and offers the reload.
      await client.query(AgentQuery, { id: agent.id }, { requestPolicy: 'network-only' }).toPromise();
      setConflict(true);
      return null;
    }
    return result.error ?? new Error('The server did not return the agent');
  };

  const reload = () => {
    setConflict(false);
    if (latest) setBase(latest);
    reexecute({ requestPolicy: 'network-only' });
  };

  const confirmArchiveAgent = async () => {
    const result = await archive({ id: agent.id });
    if (result.error) {
      notifyError(result.error, 'Could not archive the agent');
      return;
    }
    setConfirmArchive(false);
    notifySuccess(`${agent.name} is archived. It no longer runs; its history is kept.`, 'Agent archived');
    navigate('/agents');
  };

  const canTest = can('agents:test') && agent.status !== 'ARCHIVED';

  return (
    <Stack gap={0} data-testid="agent-editor">
      <Anchor component={Link} to="/agents" fz="sm" mb="xs">
        ← Agents
      </Anchor>
      <PageHeader
        title={agent.name}
        description={
          <span data-testid="agent-version">
            v{agent.version} · updated {formatRelative(agent.updatedAt)} · {formatUsd(current.costThisMonthUsd)} spent this month
          </span>
        }
        actions={<AgentStatusBadge status={agent.status} />}
      />
      {/* Panels stay mounted: switching tabs must not drop unsaved edits. */}
      <Tabs value={tab} onChange={setTab} keepMounted>
        <Tabs.List mb="lg">
          <Tabs.Tab value="configure" data-testid="agent-tab-configure">
            Configuration
          </Tabs.Tab>
          <Tabs.Tab value="versions" data-testid="agent-tab-versions">
            Version history ({current.versions.length})
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="configure">
          <Stack gap="lg">
            {agent.status === 'ARCHIVED' ? (
              <Alert color="gray" variant="light" icon={<IconArchive size={18} />} title="This agent is archived" data-testid="agent-archived-notice">
                It no longer runs and cannot be edited; its configuration and history are kept.
              </Alert>
            ) : !canManage ? (
              <Text fz="sm" c="dimmed" data-testid="agent-read-only-notice">
                You can look at this agent, but only owners, admins and members can change it.
              </Text>
            ) : null}
            {stale || conflict ? <ConflictNotice base={agent} latest={latest} onReload={reload} /> : null}
            <Grid gap="lg">
              <Grid.Col span={{ base: 12, lg: canTest ? 7 : 12 }}>
                <WithBuilderOptions>
                  {({ models, tools }) => (
                    <AgentForm
                      key={`${agent.id}:${agent.version}`}
                      initialValues={valuesFromAgent(agent)}
                      models={models}
                      tools={tools}
                      readOnly={readOnly}
                      submitLabel="Save"
                      onSubmit={save}
                      submitting={updateState.fetching}
                      saveBlocked={stale || conflict}
                      saveRequiresChanges
                      onDirtyChange={onDirtyChange}
                      actions={
                        <Button variant="subtle" color="red" leftSection={<IconArchive size={16} />} onClick={() => setConfirmArchive(true)} data-testid="agent-archive">
                          Archive
                        </Button>
                      }
                    />
                  )}
                </WithBuilderOptions>
              </Grid.Col>
              {canTest ? (
                <Grid.Col span={{ base: 12, lg: 5 }}>
                  <div style={{ position: 'sticky', top: 76 }}>
                    <TestChatPanel key={agent.id} agentId={agent.id} version={agent.version} unsavedChanges={dirty} />
                  </div>
                </Grid.Col>
              ) : null}
            </Grid>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="versions">
          {tab === 'versions' ? <VersionHistory key={current.version} agent={current} /> : null}
        </Tabs.Panel>
      </Tabs>
      <ConfirmModal
        opened={confirmArchive}
        title="Archive agent?"
        confirmLabel="Archive agent"
        loading={archiveState.fetching}
        onConfirm={confirmArchiveAgent}
        onClose={() => setConfirmArchive(false)}
        confirmTestId="confirm-archive-agent"
      >
        {`${agent.name} stops running and can no longer be edited or tested. Its configuration, versions and costs are kept.`}
      </ConfirmModal>
    </Stack>
  );
}
