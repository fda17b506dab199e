import { Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from 'urql';
import { ResetPasswordMutation } from '../api/auth.api';
import { FormError } from './form-error';
import { MIN_PASSWORD_LENGTH } from './register-form';

export function ResetPasswordForm({ token, onSuccess }: { token: string; onSuccess: () => void }) {
  const [state, resetPassword] = useMutation(ResetPasswordMutation);
  const form = useForm({
    initialValues: { password: '', confirmation: '' },
    validate: {
      password: (v) => (v.length >= MIN_PASSWORD_LENGTH ? null : `Use at least ${MIN_PASSWORD_LENGTH} characters`),
      confirmation: (v, values) => (v === values.password ? null : 'The passwords do not match'),
    },
  });

  const submit = form.onSubmit(async ({ password }) => {
    const result = await resetPassword({ input: { token, password } });
    if (result.data?.resetPassword) onSuccess();
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormError error={state.error} />
        <PasswordInput label="New password" autoComplete="new-password" description={`At least ${MIN_PASSWORD_LENGTH} characters`} {...form.getInputProps('password')} />
        <PasswordInput label="Confirm password" autoComplete="new-password" {...form.getInputProps('confirmation')} />
        <Button type="submit" fullWidth size="md" loading={state.fetching} data-testid="reset-password-submit">
          Set new password
        </Button>
      </Stack>
    </form>
  );
}
