import { Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from 'urql';
import { RegisterMutation, type AuthPayload, type RegisterInput } from '../api/auth.api';
import { FormError } from './form-error';

export const MIN_PASSWORD_LENGTH = 10; // the server's rule (server/src/modules/auth/validation.ts)

interface RegisterFormProps {
  onSuccess: (payload: AuthPayload) => void;
  submitLabel: string;
  /** Joining through an invitation: no organization is created. */
  invitationToken?: string;
  defaultEmail?: string;
}

export function RegisterForm({ onSuccess, submitLabel, invitationToken, defaultEmail = '' }: RegisterFormProps) {
  const [state, register] = useMutation(RegisterMutation);
  const joining = invitationToken !== undefined;
  const form = useForm({
    initialValues: { name: '', email: defaultEmail, password: '', organizationName: '' },
    validate: {
      name: (v) => (v.trim().length > 0 ? null : 'Enter your name'),
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter a valid email address'),
      password: (v) => (v.length >= MIN_PASSWORD_LENGTH ? null : `Use at least ${MIN_PASSWORD_LENGTH} characters`),
      organizationName: (v) => (joining || v.trim().length > 0 ? null : 'Name your organization'),
    },
  });

  const submit = form.onSubmit(async (values) => {
    const input: RegisterInput = { name: values.name.trim(), email: values.email.trim(), password: values.password };
    if (joining) input.invitationToken = invitationToken;
    else input.organizationName = values.organizationName.trim();
    const result = await register({ input });
    if (result.data?.register) onSuccess(result.data.register);
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormError error={state.error} />
        <TextInput label="Full name" autoComplete="name" placeholder="Ada Lovelace" {...form.getInputProps('name')} />
        <TextInput label="Email" type="email" autoComplete="email" placeholder="you@company.com" {...form.getInputProps('email')} />
        <PasswordInput
          label="Password"
          autoComplete="new-password"
          description={`At least ${MIN_PASSWORD_LENGTH} characters`}
          {...form.getInputProps('password')}
        />
        {joining ? null : (
          <TextInput label="Organization name" placeholder="Acme Inc." autoComplete="organization" {...form.getInputProps('organizationName')} />
        )}
        <Button type="submit" fullWidth size="md" loading={state.fetching} data-testid="register-submit">
          {submitLabel}
        </Button>
        <Text fz="xs" c="dimmed" ta="center">
          Your password is hashed with Argon2id and never stored in plain text.
        </Text>
      </Stack>
    </form>
  );
}
