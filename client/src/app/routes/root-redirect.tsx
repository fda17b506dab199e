import { Navigate } from 'react-router';
import { useQuery } from 'urql';
import { SetupRequiredQuery } from '../../features/auth/api/auth.api';
import { useSession } from '../../lib/use-session';
import { FullPageLoader } from '../layout/page-loader';

/** "/": first run goes to owner sign-up, then to the app or to /login. */
export function RootRedirect() {
  const session = useSession();
  const [{ data, fetching }] = useQuery({ query: SetupRequiredQuery, requestPolicy: 'network-only' });
  if (fetching && !data) return <FullPageLoader />;
  if (data?.setupRequired) return <Navigate to="/setup" replace />;
  return <Navigate to={session ? '/members' : '/login'} replace />;
}
