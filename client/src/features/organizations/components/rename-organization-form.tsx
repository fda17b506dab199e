import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from 'urql';
import { ErrorAlert } from '../../../components/error-alert';
import { notifySuccess } from '../../../lib/notify';
import { RenameOrganizationMutation } from '../api/organizations.api';

interface RenameOrganizationFormProps {
  currentName: string;
  disabled: boolean;
  onRenamed: () => void;
}

/** Keyed by the current name where used, so a rename elsewhere resets it. */
export function RenameOrganizationForm({ currentName, disabled, onRenamed }: RenameOrganizationFormProps) {
  const [state, rename] = useMutation(RenameOrganizationMutation);
  const form = useForm({
    initialValues: { name: currentName },
    validate: { name: (v) => (v.trim().length > 0 ? null : 'The name cannot be empty') },
  });

  const submit = form.onSubmit(async ({ name }) => {
    const result = await rename({ input: { name: name.trim() } });
    if (result.data?.renameOrganization) {
      notifySuccess(`The organization is now called ${result.data.renameOrganization.name}.`, 'Organization renamed');
      onRenamed();
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {state.error ? <ErrorAlert error={state.error} title="Could not rename the organization" /> : null}
        <TextInput
          label="Organization name"
          disabled={disabled}
          description={disabled ? 'Only owners and admins can rename the organization.' : undefined}
          {...form.getInputProps('name')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={state.fetching} disabled={disabled || !form.isDirty()} data-testid="rename-org-submit">
            Save changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
