import { Anchor, Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import { LoginMutation, type AuthPayload } from '../api/auth.api';
import { FormError } from './form-error';

interface LoginFormProps {
  onSuccess: (payload: AuthPayload) => void;
  defaultEmail?: string;
}

export function LoginForm({ onSuccess, defaultEmail = '' }: LoginFormProps) {
  const [state, login] = useMutation(LoginMutation);
  const form = useForm({
    initialValues: { email: defaultEmail, password: '' },
    validate: {
      email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter a valid email address'),
      password: (v) => (v.length > 0 ? null : 'Enter your password'),
    },
  });

  const submit = form.onSubmit(async (values) => {
    const result = await login({ input: { email: values.email.trim(), password: values.password } });
    if (result.data?.login) onSuccess(result.data.login);
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormError error={state.error} />
        <TextInput label="Email" type="email" autoComplete="email" placeholder="you@company.com" {...form.getInputProps('email')} />
        <PasswordInput label="Password" autoComplete="current-password" {...form.getInputProps('password')} />
        <Group justify="flex-end" mt={-6}>
          <Anchor component={Link} to="/forgot-password" fz="sm">
            Forgot password?
          </Anchor>
        </Group>
        <Button type="submit" fullWidth size="md" loading={state.fetching} data-testid="login-submit">
          Log in
        </Button>
      </Stack>
    </form>
  );
}
