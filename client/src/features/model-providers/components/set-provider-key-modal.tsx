import { Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from 'urql';
import { ErrorAlert } from '../../../components/error-alert';
import { ModalActions } from '../../../components/modal-actions';
import { notifySuccess } from '../../../lib/notify';
import { PROVIDER_LABELS } from '../../../lib/llm-providers';
import { SetProviderKeyMutation, type ProviderKey } from '../api/provider-keys.api';

interface SetProviderKeyModalProps {
  /** The provider whose key is set; null keeps the modal closed. */
  providerKey: ProviderKey | null;
  onClose: () => void;
}

/** The key only lives in this form until it is sent: it is cleared on save and on close. */
export function SetProviderKeyModal({ providerKey, onClose }: SetProviderKeyModalProps) {
  const [state, setKey] = useMutation(SetProviderKeyMutation);
  const compatible = providerKey?.provider === 'OPENAI_COMPATIBLE';
  const form = useForm({
    initialValues: { apiKey: '', baseUrl: '' },
    validate: {
      // A local OpenAI-compatible server (Ollama, vLLM) may need no key, but it needs an address.
      apiKey: (v) => (compatible || v.trim().length > 0 ? null : 'Paste the API key'),
      baseUrl: (v) => (!compatible ? null : /^https?:\/\/\S+$/.test(v.trim()) ? null : 'Enter the server address, e.g. http://localhost:11434/v1'),
    },
  });

  const close = () => {
    form.reset();
    onClose();
  };

  const submit = form.onSubmit(async ({ apiKey, baseUrl }) => {
    if (!providerKey) return;
    const result = await setKey({
      input: { provider: providerKey.provider, apiKey: apiKey.trim() || null, ...(compatible ? { baseUrl: baseUrl.trim() } : {}) },
    });
    // Never keep the key around, whatever the outcome.
    form.setFieldValue('apiKey', '');
    const saved = result.data?.setProviderKey;
    if (saved) {
      notifySuccess(
        `Agents now use this organization's ${PROVIDER_LABELS[saved.provider]} key${saved.keyHint ? ` (${saved.keyHint})` : ''}.`,
        'Key saved',
      );
      close();
    }
  });

  const label = providerKey ? PROVIDER_LABELS[providerKey.provider] : '';
  return (
    <Modal opened={providerKey !== null} onClose={close} title={<Text fw={600}>{`${label} key`}</Text>} centered radius="md">
      <form onSubmit={submit} noValidate autoComplete="off">
        <Stack gap="md">
          <Text fz="sm" c="dimmed">
            The key is stored encrypted and never shown again, only its last characters. Agents use it instead of the server's key from
            their next model call.
          </Text>
          {state.error ? <ErrorAlert error={state.error} title="Could not save the key" /> : null}
          {compatible ? (
            <TextInput
              label="Base URL"
              description="The OpenAI-compatible endpoint, including /v1"
              placeholder="http://localhost:11434/v1"
              data-autofocus
              data-testid="provider-base-url-input"
              {...form.getInputProps('baseUrl')}
            />
          ) : null}
          <PasswordInput
            label="API key"
            description={compatible ? 'Leave empty if the server needs none' : undefined}
            autoComplete="new-password"
            data-autofocus={compatible ? undefined : true}
            data-testid="provider-key-input"
            {...form.getInputProps('apiKey')}
          />
          <ModalActions onCancel={close} submitLabel="Save key" submitting={state.fetching} submitTestId="provider-key-submit" />
        </Stack>
      </form>
    </Modal>
  );
}
