import { useMemo, useState, type FormEvent } from 'react';
import { Alert, Badge, Code, CopyButton, Group, Modal, PasswordInput, Select, Stack, Text, TextInput, Button, Anchor } from '@mantine/core';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { ErrorAlert } from '../../../components/error-alert';
import { ModalActions } from '../../../components/modal-actions';
import { notifySuccess } from '../../../lib/notify';
import { ConnectIntegrationMutation, CreateIntegrationMutation, InstalledPluginsQuery } from '../api/integrations.api';
import { goTo } from './go-to';
import { oauthCallbackUrl, parseIntegration, type IntegrationInfo } from './integration-manifest';

interface Candidate {
  pluginName: string;
  pluginTitle: string;
  integration: IntegrationInfo;
}

interface FormState {
  pluginName: string | null;
  name: string;
  secrets: Record<string, string>;
  clientId: string;
  clientSecret: string;
}

const EMPTY: FormState = { pluginName: null, name: '', secrets: {}, clientId: '', clientSecret: '' };

/** What is missing before the form can be sent, per field. */
function problems(state: FormState, candidate: Candidate | undefined): Record<string, string> {
  const found: Record<string, string> = {};
  if (!candidate) found.pluginName = 'Choose the plugin to connect';
  if (!state.name.trim()) found.name = 'Give the connection a name';
  if (candidate?.integration.auth.type === 'apiKey') {
    for (const field of candidate.integration.auth.fields) if (!state.secrets[field.name]?.trim()) found[`secret:${field.name}`] = `Enter the ${field.label}`;
  }
  if (candidate?.integration.auth.type === 'oauth2') {
    if (!state.clientId.trim()) found.clientId = "Paste the client ID of your app at the provider";
    if (!state.clientSecret.trim()) found.clientSecret = "Paste the client secret of your app at the provider";
  }
  return found;
}

/**
 * "Add integration": for an installed plugin that declares one, either its API-key fields or an
 * OAuth app's client ID and secret. OAuth then goes on at the provider: connectIntegration gives
 * the authorize URL, and the provider sends the person back to /settings/integrations.
 */
export function AddIntegrationModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const context = useMemo(() => ({ additionalTypenames: ['PluginInstallation'] }), []);
  const [{ data, error }, reexecute] = useQuery({ query: InstalledPluginsQuery, pause: !opened, context });
  const [createResult, create] = useMutation(CreateIntegrationMutation);
  const [connectResult, connect] = useMutation(ConnectIntegrationMutation);
  const [state, setState] = useState<FormState>(EMPTY);
  const [submitted, setSubmitted] = useState(false);

  const candidates = useMemo(
    () =>
      (data?.pluginInstallations ?? []).flatMap((installation): Candidate[] => {
        const integration = parseIntegration(installation.version.integration);
        return integration ? [{ pluginName: installation.listing.name, pluginTitle: installation.listing.title, integration }] : [];
      }),
    [data],
  );
  const candidate = candidates.find((c) => c.pluginName === state.pluginName);
  const found = problems(state, candidate);
  const shown = (key: string) => (submitted ? found[key] : undefined);

  const close = () => {
    // Secrets live only in this form: forget them on close.
    setState(EMPTY);
    setSubmitted(false);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!candidate || Object.keys(found).length > 0) return;
    const oauth = candidate.integration.auth.type === 'oauth2';
    const result = await create({
      input: {
        pluginName: candidate.pluginName,
        name: state.name.trim(),
        ...(oauth
          ? { oauthClientId: state.clientId.trim(), oauthClientSecret: state.clientSecret.trim() }
          : { apiKey: Object.fromEntries(Object.entries(state.secrets).map(([k, v]) => [k, v.trim()])) }),
      },
    });
    setState((s) => ({ ...s, secrets: {}, clientSecret: '' }));
    const integration = result.data?.createIntegration;
    if (!integration) return;
    if (!oauth) {
      notifySuccess(`${integration.name} is saved. Test it to check the key.`, 'Integration added');
      close();
      return;
    }
    const connected = await connect({ input: { integrationId: integration.id } });
    const url = connected.data?.connectIntegration.authorizeUrl;
    if (url) goTo(url);
  };

  const pick = (pluginName: string | null) => {
    const next = candidates.find((c) => c.pluginName === pluginName);
    setState((s) => ({ ...EMPTY, pluginName, name: s.name && s.pluginName === pluginName ? s.name : (next?.integration.title ?? '') }));
  };

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>Add integration</Text>} centered radius="md" size="lg">
      {error && !data ? (
        <ErrorAlert error={error} title="Could not load the installed plugins" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
      ) : data && candidates.length === 0 ? (
        <Stack gap="md" data-testid="no-integrable-plugins">
          <Text fz="sm">
            No installed plugin connects to an outside service. Install one (Slack, Gmail, …) from the{' '}
            <Anchor component={Link} to="/marketplace" onClick={close}>
              Marketplace
            </Anchor>{' '}
            first.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Close
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate autoComplete="off">
          <Stack gap="md">
            <Select
              label="Plugin"
              placeholder={data ? 'Choose an installed plugin' : 'Loading…'}
              data={candidates.map((c) => ({ value: c.pluginName, label: `${c.pluginTitle} (${c.integration.auth.type === 'oauth2' ? 'OAuth' : 'API key'})` }))}
              value={state.pluginName}
              onChange={pick}
              disabled={!data}
              error={shown('pluginName')}
              comboboxProps={{ withinPortal: true }}
              data-testid="integration-plugin"
            />
            <TextInput
              label="Name"
              description="How agents' owners recognise this connection, e.g. the workspace or mailbox."
              value={state.name}
              onChange={(e) => setState({ ...state, name: e.currentTarget.value })}
              error={shown('name')}
              data-testid="integration-name"
            />
            {candidate?.integration.auth.type === 'apiKey'
              ? candidate.integration.auth.fields.map((field) => (
                  <PasswordInput
                    key={field.name}
                    label={field.label}
                    description={field.description}
                    autoComplete="new-password"
                    value={state.secrets[field.name] ?? ''}
                    onChange={(e) => setState({ ...state, secrets: { ...state.secrets, [field.name]: e.currentTarget.value } })}
                    error={shown(`secret:${field.name}`)}
                    data-testid={`integration-secret-${field.name}`}
                  />
                ))
              : null}
            {candidate?.integration.auth.type === 'oauth2' ? (
              <>
                <Alert variant="light" color="blue" radius="md">
                  <Stack gap={6}>
                    <Text fz="sm">
                      Create an app at the provider, allow this redirect URL, then paste its client ID and secret. Connect takes you to the
                      provider to agree; you come back here.
                    </Text>
                    <Group gap="xs">
                      <Code fz="xs" data-testid="oauth-redirect-url">{oauthCallbackUrl(window.location.origin)}</Code>
                      <CopyButton value={oauthCallbackUrl(window.location.origin)}>
                        {({ copied, copy }) => (
                          <Button size="compact-xs" variant="subtle" onClick={copy}>
                            {copied ? 'Copied' : 'Copy'}
                          </Button>
                        )}
                      </CopyButton>
                    </Group>
                    {candidate.integration.auth.scopes.length > 0 ? (
                      <Group gap={4}>
                        <Text fz="xs">Scopes asked for:</Text>
                        {candidate.integration.auth.scopes.map((s) => (
                          <Badge key={s} size="xs" variant="outline" tt="none">
                            {s}
                          </Badge>
                        ))}
                      </Group>
                    ) : null}
                  </Stack>
                </Alert>
                <TextInput
                  label="Client ID"
                  value={state.clientId}
                  onChange={(e) => setState({ ...state, clientId: e.currentTarget.value })}
                  error={shown('clientId')}
                  data-testid="integration-client-id"
                />
                <PasswordInput
                  label="Client secret"
                  autoComplete="new-password"
                  value={state.clientSecret}
                  onChange={(e) => setState({ ...state, clientSecret: e.currentTarget.value })}
                  error={shown('clientSecret')}
                  data-testid="integration-client-secret"
                />
              </>
            ) : null}
            <Text fz="xs" c="dimmed">
              Keys and tokens are stored encrypted; plugins never see them, the server puts them into the requests it makes for them.
            </Text>
            {createResult.error ? <ErrorAlert error={createResult.error} title="Could not add the integration" /> : null}
            {connectResult.error ? <ErrorAlert error={connectResult.error} title="Saved, but could not start the connection: use Connect in the list" /> : null}
            <ModalActions
              onCancel={close}
              submitLabel={candidate?.integration.auth.type === 'oauth2' ? 'Connect' : 'Save'}
              submitting={createResult.fetching || connectResult.fetching}
              submitTestId="integration-submit"
            />
          </Stack>
        </form>
      )}
    </Modal>
  );
}
