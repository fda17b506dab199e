import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';
import { useMutation } from 'urql';
import { ConfirmModal } from '../../../components/confirm-modal';
import { ErrorAlert } from '../../../components/error-alert';
import { notifyError, notifySuccess } from '../../../lib/notify';
import {
  ApprovePluginUpgradeMutation,
  InstallPluginMutation,
  UninstallPluginMutation,
  UpgradePluginMutation,
  type Listing,
  type PluginVersion,
} from '../api/marketplace.api';
import { formatPrice, hasPermissions, installState } from './install-state';
import { PermissionsList } from './permissions-list';
import { UseTemplateModal } from './use-template-modal';

// Uninstalling answers with an id only: name the types whose cached queries must refetch.
const UNINSTALL_CONTEXT = { additionalTypenames: ['PluginListing', 'PluginInstallation', 'ToolDefinition'] };

interface ListingActionsProps {
  listing: Listing;
  /** plugins:manage: install, upgrade, approve permissions, uninstall and use templates. */
  canManage: boolean;
}

/** Install, upgrade, consent to new permissions or uninstall, depending on the listing's state. */
export function ListingActions({ listing, canManage }: ListingActionsProps) {
  const state = installState(listing);
  const [installing, setInstalling] = useState(false);
  const [uninstalling, setUninstalling] = useState(false);
  const [usingTemplate, setUsingTemplate] = useState(false);
  const [installResult, install] = useMutation(InstallPluginMutation);
  const [upgradeResult, upgrade] = useMutation(UpgradePluginMutation);
  const [approveResult, approve] = useMutation(ApprovePluginUpgradeMutation);
  const [uninstallResult, uninstall] = useMutation(UninstallPluginMutation);
  const template = listing.kind !== 'PLUGIN';

  const confirmInstall = async () => {
    const result = await install({ input: { listingId: listing.id } });
    if (result.error) return; // shown in the dialog
    setInstalling(false);
    notifySuccess(`${listing.title} v${result.data?.installPlugin.version.version ?? ''} is installed.`, 'Installed');
  };

  const runUpgrade = async (latest: PluginVersion) => {
    if (!listing.installation) return;
    const result = await upgrade({ input: { installationId: listing.installation.id, version: latest.version } });
    if (result.error) return notifyError(result.error, 'Could not upgrade');
    const installation = result.data?.upgradePlugin;
    if (installation?.pendingVersion) {
      notifySuccess(`v${installation.pendingVersion.version} asks for more permissions: approve them to finish the upgrade.`, 'Consent needed');
    } else {
      notifySuccess(`${listing.title} now runs v${installation?.version.version ?? latest.version}.`, 'Upgraded');
    }
  };

  const runApprove = async () => {
    if (!listing.installation) return;
    const result = await approve({ installationId: listing.installation.id });
    if (result.error) return notifyError(result.error, 'Could not approve the upgrade');
    notifySuccess(`${listing.title} now runs v${result.data?.approvePluginUpgrade.version.version ?? ''}.`, 'Upgrade approved');
  };

  const confirmUninstall = async () => {
    if (!listing.installation) return;
    const result = await uninstall({ installationId: listing.installation.id }, UNINSTALL_CONTEXT);
    if (result.error) return notifyError(result.error, 'Could not uninstall');
    setUninstalling(false);
    notifySuccess(`${listing.title} is uninstalled. Agents and workflows can no longer call its tools.`, 'Uninstalled');
  };

  const gate = canManage ? null : (
    <Text fz="xs" c="dimmed" data-testid="manage-permission-note">
      Only owners and admins can install, upgrade or remove plugins.
    </Text>
  );

  return (
    <Stack gap="sm" data-testid="listing-actions" data-state={state.kind}>
      {state.kind === 'paid' ? (
        <Alert color="orange" variant="light" radius="md" data-testid="listing-paid">
          {formatPrice(state.priceCents)}: paid listings cannot be installed until checkout arrives.
        </Alert>
      ) : null}
      {state.kind === 'consent' ? (
        <Alert color="orange" variant="light" radius="md" icon={<IconShieldLock size={18} />} title={`v${state.pending.version} asks for more permissions`} data-testid="consent-panel">
          <Stack gap="sm">
            <Text fz="sm">
              This organization stays on v{state.installed.version} until an admin agrees to what the new version may do:
            </Text>
            <PermissionsList permissions={state.added} testId="consent-permissions" />
            {canManage ? (
              <Group>
                <Button color="orange" onClick={() => void runApprove()} loading={approveResult.fetching} data-testid="approve-permissions-button">
                  Approve new permissions
                </Button>
              </Group>
            ) : null}
          </Stack>
        </Alert>
      ) : null}
      <Group gap="sm">
        {template && state.kind !== 'paid' ? (
          <Button onClick={() => setUsingTemplate(true)} disabled={!canManage} data-testid="use-template-button">
            Use template
          </Button>
        ) : null}
        {!template && state.kind === 'available' ? (
          <Button onClick={() => setInstalling(true)} disabled={!canManage || !state.version} data-testid="install-button">
            Install{state.version ? ` v${state.version.version}` : ''}
          </Button>
        ) : null}
        {state.kind === 'upgradable' ? (
          <Button onClick={() => void runUpgrade(state.latest)} disabled={!canManage} loading={upgradeResult.fetching} data-testid="upgrade-button">
            Upgrade to v{state.latest.version}
          </Button>
        ) : null}
        {state.kind === 'current' || state.kind === 'upgradable' || state.kind === 'consent' ? (
          <Text fz="sm" c="dimmed" data-testid="installed-version">
            Installed: v{state.installed.version}
          </Text>
        ) : null}
        {listing.installation ? (
          <Button variant="subtle" color="red" onClick={() => setUninstalling(true)} disabled={!canManage} data-testid="uninstall-button">
            Uninstall
          </Button>
        ) : null}
      </Group>
      {state.kind === 'upgradable' && hasPermissions(state.added) ? (
        <Text fz="xs" c="orange" data-testid="upgrade-permissions-note">
          v{state.latest.version} asks for more permissions; after Upgrade an admin approves them before it runs.
        </Text>
      ) : null}
      {gate}

      <Modal opened={installing} onClose={() => setInstalling(false)} title={<Text fw={600}>Install {listing.title}?</Text>} centered radius="md">
        <Stack gap="md">
          <Text fz="sm">Once installed, everyone in this organization can give its tools to agents and workflows. It may:</Text>
          {state.kind === 'available' && state.version ? <PermissionsList permissions={state.version.permissions} testId="install-permissions" /> : null}
          {installResult.error ? <ErrorAlert error={installResult.error} title="Could not install" /> : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setInstalling(false)}>
              Cancel
            </Button>
            <Button onClick={() => void confirmInstall()} loading={installResult.fetching} data-testid="confirm-install">
              Install
            </Button>
          </Group>
        </Stack>
      </Modal>
      <ConfirmModal
        opened={uninstalling}
        title={`Uninstall ${listing.title}?`}
        confirmLabel="Uninstall"
        loading={uninstallResult.fetching}
        onConfirm={() => void confirmUninstall()}
        onClose={() => setUninstalling(false)}
        confirmTestId="confirm-uninstall"
      >
        Agents and workflows of this organization can no longer call its tools; runs that need them fail with a clear error. You can install it
        again later.
      </ConfirmModal>
      {template ? <UseTemplateModal listing={listing} opened={usingTemplate} onClose={() => setUsingTemplate(false)} /> : null}
    </Stack>
  );
}
