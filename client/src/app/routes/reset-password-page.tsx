import { useState } from 'react';
import { Alert, Anchor, Button, Stack } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import { AuthShell } from '../../components/auth-shell';
import { ResetPasswordForm } from '../../features/auth/components/reset-password-form';

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token');
  const [done, setDone] = useState(false);

  return (
    <AuthShell
      title="Choose a new password"
      subtitle="Pick something you do not use anywhere else."
      footer={
        <Anchor component={Link} to="/login" inherit fw={500}>
          Back to log in
        </Anchor>
      }
    >
      {!token ? (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="This link is incomplete" data-testid="reset-missing-token">
          Open the link from the email again, or{' '}
          <Anchor component={Link} to="/forgot-password">
            request a new one
          </Anchor>
          .
        </Alert>
      ) : done ? (
        <Stack gap="md">
          <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} title="Password changed" data-testid="reset-done">
            Your password was updated. Log in with your new password.
          </Alert>
          <Button component={Link} to="/login" fullWidth size="md" data-testid="reset-go-login">
            Log in
          </Button>
        </Stack>
      ) : (
        <ResetPasswordForm token={token} onSuccess={() => setDone(true)} />
      )}
    </AuthShell>
  );
}
