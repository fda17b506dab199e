import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Anchor, Button, Group, Menu, ActionIcon, Stack, Switch, Tabs, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconArchive, IconDots, IconDeviceFloppy, IconPlayerPlay, IconSitemapOff } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';
import { ConfirmModal } from '../../../components/confirm-modal';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { PageHeader } from '../../../components/page-header';
import { TableSkeleton } from '../../../components/table-skeleton';
import { inputKeys, normalizeDefinition, type WorkflowDefinition } from '../../../editor/core/definition';
import type { NodeData } from '../../../editor/core/flow-node';
import type { WorkflowProblem } from '../../../editor/core/problems';
import { hasErrorCode } from '../../../lib/errors';
import { formatRelative } from '../../../lib/format';
import { notifyError, notifySuccess } from '../../../lib/notify';
import type { Can } from '../../../lib/permissions';
import { refusedProblems } from '../api/workflow-errors';
import { ArchiveWorkflowMutation, UpdateWorkflowMutation, WorkflowQuery, type UpdateWorkflowInput, type Workflow } from '../api/workflows.api';
import { DesignerWorkspace } from './designer-workspace';
import { RunWorkflowModal } from './run-workflow-modal';
import { designerAbilities, draftFromWorkflow, isDirty, withNodeData, type WorkflowDraft } from './workflow-draft';
import { WorkflowRunsTab } from './workflow-runs-tab';
import { WorkflowStatusBadge } from './workflow-status-badge';
import { WorkflowVersionHistory } from './workflow-version-history';

interface WorkflowDesignerProps {
  workflowId: string;
  /** The caller's permissions in the active organization. */
  can: Can;
}

function ConflictNotice({ base, latest, onReload }: { base: Workflow; latest: Workflow | null; onReload: () => void }) {
  const newer = latest && latest.version > base.version ? latest : null;
  const by = newer?.versions.find((v) => v.version === newer.version)?.createdBy?.name ?? 'Someone else';
  return (
    <Alert
      color="orange"
      variant="light"
      radius="md"
      icon={<IconAlertTriangle size={18} />}
      title={newer ? `${by} saved version ${newer.version} while you were editing` : 'Someone else changed this workflow'}
      data-testid="workflow-conflict"
    >
      <Stack gap="xs">
        <Text fz="sm">
          {newer
            ? `Your edits are based on version ${base.version}, so saving them would overwrite version ${newer.version} (saved ${formatRelative(newer.updatedAt)}). `
            : 'Your edits are based on an older version, so they were not saved. '}
          Reload to continue from the latest version; your unsaved edits will be discarded.
        </Text>
        <Group>
          <Button size="xs" color="orange" onClick={onReload} data-testid="workflow-conflict-reload">
            {newer ? `Reload version ${newer.version}` : 'Reload'}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

interface Loaded {
  base: Workflow;
  /** What the canvas shows; its key changes whenever it must load again. */
  source: { key: number; definition: WorkflowDefinition };
  draft: WorkflowDraft;
  /** The graph as the canvas loaded it (null until it has): what edits are compared with. */
  baseline: WorkflowDefinition | null;
}

function loadedFrom(workflow: Workflow, key: number): Loaded {
  const draft = draftFromWorkflow(workflow);
  return { base: workflow, source: { key, definition: draft.definition }, draft, baseline: null };
}

/** /workflows/:id: the designer, with the version history and recent runs. */
export function WorkflowDesigner({ workflowId, can }: WorkflowDesignerProps) {
  const client = useClient();
  const navigate = useNavigate();
  const context = useMemo(() => ({ additionalTypenames: ['Workflow'] }), []);
  const [{ data, error }, reexecute] = useQuery({ query: WorkflowQuery, variables: { id: workflowId }, context });
  const [updateState, update] = useMutation(UpdateWorkflowMutation);
  const [archiveState, archive] = useMutation(ArchiveWorkflowMutation);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [conflict, setConflict] = useState(false);
  const [refused, setRefused] = useState<WorkflowProblem[] | null>(null);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const [runOpen, setRunOpen] = useState(false);
  const [tab, setTab] = useState<string | null>('design');

  const latest = data?.workflow ?? null;
  const base = loaded?.base ?? null;
  const dirty = loaded ? isDirty(loaded.base, loaded.draft, loaded.baseline) : false;
  const abilities = designerAbilities(can, (latest ?? base)?.status ?? 'DRAFT');
  const readOnly = !abilities.edit;
  // Follow the server while there is nothing to lose; otherwise ConflictNotice asks first.
  if (latest && (!loaded || loaded.base.id !== latest.id || (latest.version > loaded.base.version && (!dirty || readOnly)))) {
    setLoaded(loadedFrom(latest, (loaded?.source.key ?? 0) + 1));
    setConflict(false);
    setRefused(null);
  }
  const stale = Boolean(base && latest && latest.version > base.version);

  const onLoad = useCallback((definition: WorkflowDefinition) => {
    setLoaded((prev) => (prev ? { ...prev, baseline: definition, draft: { ...prev.draft, definition } } : prev));
  }, []);
  const onDefinitionChange = useCallback((definition: WorkflowDefinition) => {
    setLoaded((prev) => (prev ? { ...prev, draft: { ...prev.draft, definition } } : prev));
    setRefused(null);
  }, []);
  const onNodeChange = useCallback((id: string, nodeData: NodeData) => {
    setLoaded((prev) => (prev ? { ...prev, draft: { ...prev.draft, definition: withNodeData(prev.draft.definition, id, nodeData) } } : prev));
  }, []);
  const onSettingsChange = useCallback((patch: { name?: string; description?: string }) => {
    setLoaded((prev) => (prev ? { ...prev, draft: { ...prev.draft, ...patch } } : prev));
  }, []);

  // Leaving the page with unsaved edits asks first.
  useEffect(() => {
    if (!dirty) return undefined;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  if (!loaded || !base) {
    if (error) return <ErrorAlert error={error} title="Could not load the workflow" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
    if (data && !data.workflow) {
      return (
        <EmptyState
          icon={IconSitemapOff}
          title="Workflow not found"
          description="It may have been deleted, or it belongs to another organization."
          testId="workflow-not-found"
          action={
            <Button component={Link} to="/workflows" variant="light">
              Back to workflows
            </Button>
          }
        />
      );
    }
    return <TableSkeleton rows={8} />;
  }

  const { draft } = loaded;
  const current = latest ?? base;
  const nameMissing = draft.name.trim() === '';

  /** Saves the draft (and a status change) against the loaded version; true when saved. */
  const save = async (status?: 'DRAFT' | 'ACTIVE'): Promise<boolean> => {
    const sent = draft;
    const input: UpdateWorkflowInput = {
      id: base.id,
      expectedVersion: base.version,
      name: sent.name.trim(),
      description: sent.description,
      definition: sent.definition,
      ...(status ? { status } : {}),
    };
    const result = await update({ input });
    const saved = result.data?.updateWorkflow;
    if (saved) {
      setLoaded((prev) =>
        prev ? { ...prev, base: saved, baseline: sent.definition, draft: { ...prev.draft, name: saved.name, description: saved.description } } : prev,
      );
      setRefused(null);
      notifySuccess(`${saved.name} is now at version ${saved.version}${status === 'ACTIVE' ? ' and active' : ''}.`, status === 'ACTIVE' ? 'Workflow activated' : 'Workflow saved');
      return true;
    }
    if (hasErrorCode(result.error, 'CONFLICT')) {
      // Learn which version is the latest; ConflictNotice names it and offers the reload.
      await client.query(WorkflowQuery, { id: base.id }, { requestPolicy: 'network-only' }).toPromise();
      setConflict(true);
      return false;
    }
    const problems = refusedProblems(result.error);
    if (problems && problems.length > 0) {
      setRefused(problems);
      setTab('design');
      notifyError(result.error, status === 'ACTIVE' ? 'The workflow cannot be activated' : 'The workflow was not saved');
      return false;
    }
    notifyError(result.error ?? new Error('The server did not return the workflow'), status ? 'Could not change the status' : 'Could not save the workflow');
    return false;
  };

  const reload = () => {
    setConflict(false);
    setRefused(null);
    if (latest) setLoaded(loadedFrom(latest, loaded.source.key + 1));
    reexecute({ requestPolicy: 'network-only' });
  };

  const confirmArchiveWorkflow = async () => {
    const result = await archive({ id: base.id });
    if (result.error) {
      notifyError(result.error, 'Could not archive the workflow');
      return;
    }
    setConfirmArchive(false);
    notifySuccess(`${base.name} is archived. It no longer runs; its history is kept.`, 'Workflow archived');
    navigate('/workflows');
  };

  const saveBlocked = stale || conflict || nameMissing;

  return (
    <Stack gap={0} data-testid="workflow-designer" data-dirty={dirty ? 'true' : 'false'}>
      <Anchor component={Link} to="/workflows" fz="sm" mb="xs">
        ← Workflows
      </Anchor>
      <PageHeader
        title={draft.name || base.name}
        description={
          <span data-testid="workflow-version">
            v{base.version} · updated {formatRelative(base.updatedAt)}
            {dirty ? ' · unsaved changes' : ''}
          </span>
        }
        actions={
          <>
            <WorkflowStatusBadge status={base.status} />
            {base.status !== 'ARCHIVED' ? (
              <Tooltip label={abilities.activate ? 'Active workflows run on their trigger' : 'Only owners, admins and members can change this'} withArrow>
                <Switch
                  label="Active"
                  checked={base.status === 'ACTIVE'}
                  disabled={!abilities.activate || updateState.fetching || stale || conflict}
                  onChange={(event) => void save(event.currentTarget.checked ? 'ACTIVE' : 'DRAFT')}
                  data-testid="workflow-status"
                />
              </Tooltip>
            ) : null}
            {abilities.run ? (
              <Button variant="light" leftSection={<IconPlayerPlay size={16} />} onClick={() => setRunOpen(true)} data-testid="workflow-run">
                Run
              </Button>
            ) : null}
            {abilities.edit ? (
              <Button
                leftSection={<IconDeviceFloppy size={16} />}
                onClick={() => void save()}
                loading={updateState.fetching}
                disabled={!dirty || saveBlocked}
                data-testid="workflow-save"
              >
                Save
              </Button>
            ) : null}
            {abilities.archive ? (
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <ActionIcon variant="default" size="lg" aria-label="More actions" data-testid="workflow-menu">
                    <IconDots size={16} />
                  </ActionIcon>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item color="red" leftSection={<IconArchive size={14} />} onClick={() => setConfirmArchive(true)} data-testid="workflow-archive">
                    Archive
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            ) : null}
          </>
        }
      />
      <Stack gap="sm" mb="sm">
        {base.status === 'ARCHIVED' ? (
          <Alert color="gray" variant="light" icon={<IconArchive size={18} />} title="This workflow is archived" data-testid="workflow-archived-notice">
            It no longer runs and cannot be edited; its definition, versions and runs are kept.
          </Alert>
        ) : readOnly ? (
          <Text fz="sm" c="dimmed" data-testid="workflow-read-only-notice">
            You can look at this workflow, but only owners, admins and members can change it.
          </Text>
        ) : null}
        {stale || conflict ? <ConflictNotice base={base} latest={latest} onReload={reload} /> : null}
      </Stack>
      {/* Panels stay mounted: switching tabs must not drop unsaved edits or the undo history. */}
      <Tabs value={tab} onChange={setTab} keepMounted>
        <Tabs.List mb="md">
          <Tabs.Tab value="design" data-testid="workflow-tab-design">
            Design
          </Tabs.Tab>
          <Tabs.Tab value="versions" data-testid="workflow-tab-versions">
            Version history ({current.versions.length})
          </Tabs.Tab>
          <Tabs.Tab value="runs" data-testid="workflow-tab-runs">
            Runs
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="design">
          <DesignerWorkspace
            workflowId={base.id}
            webhookUrl={base.webhookUrl}
            source={loaded.source}
            draft={draft}
            readOnly={readOnly}
            refused={refused}
            onLoad={onLoad}
            onDefinitionChange={onDefinitionChange}
            onNodeChange={onNodeChange}
            onSettingsChange={onSettingsChange}
          />
        </Tabs.Panel>
        <Tabs.Panel value="versions">{tab === 'versions' ? <WorkflowVersionHistory key={current.version} workflow={current} /> : null}</Tabs.Panel>
        <Tabs.Panel value="runs">{tab === 'runs' ? <WorkflowRunsTab workflowId={base.id} /> : null}</Tabs.Panel>
      </Tabs>
      {runOpen ? (
        <RunWorkflowModal
          opened
          onClose={() => setRunOpen(false)}
          workflowId={base.id}
          version={base.version}
          inputKeys={inputKeys(normalizeDefinition(base.definition))}
          unsavedChanges={dirty}
        />
      ) : null}
      <ConfirmModal
        opened={confirmArchive}
        title="Archive workflow?"
        confirmLabel="Archive workflow"
        loading={archiveState.fetching}
        onConfirm={() => void confirmArchiveWorkflow()}
        onClose={() => setConfirmArchive(false)}
        confirmTestId="confirm-archive-workflow"
      >
        {`${base.name} stops running and can no longer be edited or run. Its definition, versions and runs are kept.`}
      </ConfirmModal>
    </Stack>
  );
}
