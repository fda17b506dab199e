import { useState } from 'react';
import { Alert, Button, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconMailCheck } from '@tabler/icons-react';
import { useMutation } from 'urql';
import { hasErrorCode } from '../../../lib/errors';
import { RequestPasswordResetMutation } from '../api/auth.api';
import { FormError } from './form-error';

export function ForgotPasswordForm() {
  const [state, requestReset] = useMutation(RequestPasswordResetMutation);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '' },
    validate: { email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : 'Enter a valid email address') },
  });

  const submit = form.onSubmit(async ({ email }) => {
    const result = await requestReset({ email: email.trim() });
    // The answer never reveals whether the account exists; only rate limits and outages show.
    if (!result.error || !(hasErrorCode(result.error, 'RATE_LIMITED') || result.error.networkError)) setSentTo(email.trim());
  });

  if (sentTo) {
    return (
      <Alert color="teal" variant="light" radius="md" icon={<IconMailCheck size={18} />} title="Check your inbox" data-testid="reset-requested">
        If an account exists for {sentTo}, we sent a link to reset its password. The link expires soon, so use it
        right away.
      </Alert>
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormError error={state.error} />
        <TextInput label="Email" type="email" autoComplete="email" placeholder="you@company.com" {...form.getInputProps('email')} />
        <Button type="submit" fullWidth size="md" loading={state.fetching} data-testid="forgot-password-submit">
          Send reset link
        </Button>
      </Stack>
    </form>
  );
}
