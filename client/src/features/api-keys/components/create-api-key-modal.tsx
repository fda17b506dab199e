import { useState } from 'react';
import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from 'urql';
import { ErrorAlert } from '../../../components/error-alert';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, type Role } from '../../../lib/roles';
import { CreateApiKeyMutation } from '../api/api-keys.api';
import { ApiKeySecret } from './api-key-secret';
import { ModalActions } from '../../../components/modal-actions';

interface CreateApiKeyModalProps {
  opened: boolean;
  onClose: () => void;
}

export function CreateApiKeyModal({ opened, onClose }: CreateApiKeyModalProps) {
  const [state, create] = useMutation(CreateApiKeyMutation);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const form = useForm<{ name: string; role: Role }>({
    initialValues: { name: '', role: 'MEMBER' },
    validate: { name: (v) => (v.trim().length > 0 ? null : 'Name the key after what uses it') },
  });
  // Only shown to callers with apiKeys:manage; keys are never owners.
  const roles = (['ADMIN', 'MEMBER', 'VIEWER'] as const).map((role) => ({
    value: role,
    label: `${ROLE_LABELS[role]} — ${ROLE_DESCRIPTIONS[role]}`,
  }));

  const close = () => {
    form.reset();
    setCreated(null);
    onClose();
  };

  const submit = form.onSubmit(async ({ name, role }) => {
    const result = await create({ input: { name: name.trim(), role } });
    if (result.data?.createApiKey) setCreated({ name: result.data.createApiKey.apiKey.name, secret: result.data.createApiKey.secret });
  });

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={<Text fw={600}>{created ? 'API key created' : 'Create API key'}</Text>}
      centered
      radius="md"
      size="lg"
      closeOnClickOutside={!created}
    >
      {created ? (
        <Stack gap="lg">
          <ApiKeySecret name={created.name} secret={created.secret} />
          <Group justify="flex-end">
            <Button onClick={close} data-testid="api-key-done">
              I have copied the key
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {state.error ? <ErrorAlert error={state.error} title="Could not create the key" /> : null}
            <TextInput label="Name" placeholder="CI pipeline" data-autofocus {...form.getInputProps('name')} />
            <Select
              label="Role"
              description="What the key may do in this organization"
              data={roles}
              allowDeselect={false}
              data-testid="api-key-role-select"
              comboboxProps={{ withinPortal: true }}
              {...form.getInputProps('role')}
            />
            <ModalActions onCancel={close} submitLabel="Create key" submitting={state.fetching} submitTestId="create-api-key-submit" />
          </Stack>
        </form>
      )}
    </Modal>
  );
}
