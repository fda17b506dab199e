import { Anchor } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { AuthShell } from '../../components/auth-shell';
import { RegisterForm } from '../../features/auth/components/register-form';
import { useStartSession } from '../../features/auth/hooks/use-start-session';

export function SignupPage() {
  const navigate = useNavigate();
  const startSession = useStartSession();
  return (
    <AuthShell
      title="Create your account"
      subtitle="Start a new organization for your team's agents and workflows."
      footer={
        <>
          Already have an account?{' '}
          <Anchor component={Link} to="/login" inherit fw={500}>
            Log in
          </Anchor>
        </>
      }
    >
      <RegisterForm
        submitLabel="Create account"
        onSuccess={(payload) => {
          startSession(payload);
          navigate('/members', { replace: true });
        }}
      />
    </AuthShell>
  );
}
