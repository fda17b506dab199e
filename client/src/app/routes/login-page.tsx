import { Anchor } from '@mantine/core';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { AuthShell } from '../../components/auth-shell';
import { SetupRequiredQuery } from '../../features/auth/api/auth.api';
import { LoginForm } from '../../features/auth/components/login-form';
import { safeNextPath, useStartSession } from '../../features/auth/hooks/use-start-session';
import { useSession } from '../../lib/use-session';

export function LoginPage() {
  const session = useSession();
  const navigate = useNavigate();
  const startSession = useStartSession();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  const [{ data }] = useQuery({ query: SetupRequiredQuery, requestPolicy: 'network-only' });

  if (data?.setupRequired) return <Navigate to="/setup" replace />;
  if (session) return <Navigate to={next} replace />;

  return (
    <AuthShell
      title="Log in"
      subtitle="Welcome back. Sign in to manage your agents and team."
      footer={
        <>
          New to AgentFlow?{' '}
          <Anchor component={Link} to="/signup" inherit fw={500}>
            Create an account
          </Anchor>
        </>
      }
    >
      <LoginForm
        defaultEmail={params.get('email') ?? ''}
        onSuccess={(payload) => {
          startSession(payload);
          navigate(next, { replace: true });
        }}
      />
    </AuthShell>
  );
}
