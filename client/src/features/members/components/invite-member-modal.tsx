import { Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from 'urql';
import { ErrorAlert } from '../../../components/error-alert';
import { notifySuccess } from '../../../lib/notify';
import type { Can } from '../../../lib/permissions';
import { ROLE_DESCRIPTIONS, ROLE_LABELS, type Role } from '../../../lib/roles';
import { InviteMemberMutation } from '../api/members.api';
import { ModalActions } from '../../../components/modal-actions';

interface InviteMemberModalProps {
  opened: boolean;
  /** The caller's permissions in the active organization. */
  can: Can;
  onClose: () => void;
}

export function InviteMemberModal({ opened, can, onClose }: InviteMemberModalProps) {
  const [state, invite] = useMutation(InviteMemberMutation);
  const form = useForm<{ email: string; role: Role }>({
    initialValues: { email: '', role: 'MEMBER' },
    validate: { email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter a valid email address') },
  });
  const roles = (['ADMIN', 'MEMBER', 'VIEWER', 'OWNER'] as const).map((role) => ({
    value: role,
    label: `${ROLE_LABELS[role]} — ${ROLE_DESCRIPTIONS[role]}`,
    // Inviting an owner also needs owners:manage.
    disabled: !can('members:invite') || (role === 'OWNER' && !can('owners:manage')),
  }));

  const close = () => {
    form.reset();
    onClose();
  };

  const submit = form.onSubmit(async ({ email, role }) => {
    const result = await invite({ input: { email: email.trim(), role } });
    if (result.data?.inviteMember) {
      notifySuccess(`We emailed an invitation link to ${result.data.inviteMember.email}.`, 'Invitation sent');
      close();
    }
  });

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>Invite member</Text>} centered radius="md" size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text fz="sm" c="dimmed">
            They get an email with a link to join. Invitations expire after a few days and can be revoked.
          </Text>
          {state.error ? <ErrorAlert error={state.error} title="Could not send the invitation" /> : null}
          <TextInput label="Email" type="email" placeholder="teammate@company.com" data-autofocus {...form.getInputProps('email')} />
          <Select
            label="Role"
            data={roles}
            allowDeselect={false}
            data-testid="invite-role-select"
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('role')}
          />
          <ModalActions onCancel={close} submitLabel="Send invitation" submitting={state.fetching} submitTestId="invite-submit" />
        </Stack>
      </form>
    </Modal>
  );
}
