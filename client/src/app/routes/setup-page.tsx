import { Navigate, useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { AuthShell } from '../../components/auth-shell';
import { SetupRequiredQuery } from '../../features/auth/api/auth.api';
import { RegisterForm } from '../../features/auth/components/register-form';
import { useStartSession } from '../../features/auth/hooks/use-start-session';
import { FullPageLoader } from '../layout/page-loader';

export function SetupPage() {
  const navigate = useNavigate();
  const startSession = useStartSession();
  const [{ data, fetching }] = useQuery({ query: SetupRequiredQuery, requestPolicy: 'network-only' });

  if (fetching && !data) return <FullPageLoader />;
  if (data && !data.setupRequired) return <Navigate to="/login" replace />;

  return (
    <AuthShell
      title="Welcome to AgentFlow"
      subtitle="Create the owner account and your first organization. You can invite your team right after."
    >
      <RegisterForm
        submitLabel="Create owner account"
        onSuccess={(payload) => {
          startSession(payload);
          navigate('/members', { replace: true });
        }}
      />
    </AuthShell>
  );
}
