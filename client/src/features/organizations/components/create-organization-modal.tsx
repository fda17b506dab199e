import { Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from 'urql';
import { ErrorAlert } from '../../../components/error-alert';
import { CreateOrganizationMutation, type ViewerOrganization } from '../api/organizations.api';
import { ModalActions } from '../../../components/modal-actions';

interface CreateOrganizationModalProps {
  opened: boolean;
  onClose: () => void;
  onCreated: (organization: ViewerOrganization) => void;
}

export function CreateOrganizationModal({ opened, onClose, onCreated }: CreateOrganizationModalProps) {
  const [state, create] = useMutation(CreateOrganizationMutation);
  const form = useForm({
    initialValues: { name: '' },
    validate: { name: (v) => (v.trim().length > 0 ? null : 'Name your organization') },
  });

  const close = () => {
    form.reset();
    onClose();
  };

  const submit = form.onSubmit(async ({ name }) => {
    const result = await create({ input: { name: name.trim() } });
    if (result.data?.createOrganization) {
      form.reset();
      onCreated(result.data.createOrganization);
    }
  });

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>Create organization</Text>} centered radius="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text fz="sm" c="dimmed">
            Organizations keep agents, workflows, members and API keys apart. You will be its owner.
          </Text>
          {state.error ? <ErrorAlert error={state.error} title="Could not create the organization" /> : null}
          <TextInput label="Organization name" placeholder="Acme Inc." data-autofocus {...form.getInputProps('name')} />
          <ModalActions onCancel={close} submitLabel="Create organization" submitting={state.fetching} submitTestId="create-org-submit" />
        </Stack>
      </form>
    </Modal>
  );
}
