import { Anchor } from '@mantine/core';
import { Link } from 'react-router';
import { AuthShell } from '../../components/auth-shell';
import { ForgotPasswordForm } from '../../features/auth/components/forgot-password-form';

export function ForgotPasswordPage() {
  return (
    <AuthShell
      title="Reset your password"
      subtitle="Enter the email you sign in with and we will send you a link to choose a new password."
      footer={
        <Anchor component={Link} to="/login" inherit fw={500}>
          Back to log in
        </Anchor>
      }
    >
      <ForgotPasswordForm />
    </AuthShell>
  );
}
