import { Alert, Anchor, Button, Divider, Stack, Text } from '@mantine/core';
import { IconMailOff } from '@tabler/icons-react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery } from 'urql';
import { AuthShell } from '../../components/auth-shell';
import { ErrorAlert } from '../../components/error-alert';
import { InvitationPreviewQuery, type InvitationStatus } from '../../features/auth/api/auth.api';
import { AcceptInvitationButton } from '../../features/auth/components/accept-invitation-button';
import { InvitationSummary } from '../../features/auth/components/invitation-summary';
import { RegisterForm } from '../../features/auth/components/register-form';
import { useStartSession } from '../../features/auth/hooks/use-start-session';
import { notifySuccess } from '../../lib/notify';
import { setActiveOrganization } from '../../lib/session-store';
import { useSession } from '../../lib/use-session';
import { FullPageLoader } from '../layout/page-loader';

const CLOSED: Record<Exclude<InvitationStatus, 'PENDING'>, string> = {
  ACCEPTED: 'This invitation has already been accepted.',
  REVOKED: 'This invitation was revoked by an admin.',
  EXPIRED: 'This invitation has expired. Ask an admin to send a new one.',
};

export function InvitePage() {
  const { token = '' } = useParams();
  const session = useSession();
  const navigate = useNavigate();
  const startSession = useStartSession();
  const [{ data, fetching, error }] = useQuery({ query: InvitationPreviewQuery, variables: { token }, requestPolicy: 'network-only' });

  if (fetching && !data) return <FullPageLoader />;

  const invitation = data?.invitation;
  const back = `/login?next=${encodeURIComponent(`/invite/${token}`)}${invitation ? `&email=${encodeURIComponent(invitation.email)}` : ''}`;

  if (error || !invitation) {
    return (
      <AuthShell title="Invitation not found" subtitle="The link may be mistyped, or the invitation was deleted.">
        {error ? (
          <ErrorAlert error={error} title="Could not open the invitation" />
        ) : (
          <Alert color="gray" variant="light" icon={<IconMailOff size={18} />} data-testid="invitation-invalid">
            Ask the person who invited you to send a new invitation.
          </Alert>
        )}
      </AuthShell>
    );
  }

  const joined = (organizationId: string) => {
    setActiveOrganization(organizationId);
    notifySuccess(`Welcome to ${invitation.organizationName}!`, 'Invitation accepted');
    navigate('/members', { replace: true });
  };

  return (
    <AuthShell
      title={`Join ${invitation.organizationName}`}
      subtitle="You have been invited to collaborate on AgentFlow."
      footer={
        session || invitation.status !== 'PENDING' ? null : (
          <>
            Already have an account?{' '}
            <Anchor component={Link} to={back} inherit fw={500} data-testid="invite-login-link">
              Log in to accept
            </Anchor>
          </>
        )
      }
    >
      <Stack gap="lg">
        <InvitationSummary invitation={invitation} />
        {invitation.status !== 'PENDING' ? (
          <Alert color="yellow" variant="light" data-testid="invitation-closed">
            {CLOSED[invitation.status]}
          </Alert>
        ) : session ? (
          <Stack gap="sm">
            <AcceptInvitationButton token={token} onAccepted={joined} />
            <Text fz="xs" c="dimmed" ta="center">
              You will join with the account you are signed in with.
            </Text>
          </Stack>
        ) : (
          <>
            <Divider label="Create your account to join" labelPosition="center" />
            <RegisterForm
              submitLabel="Create account and join"
              invitationToken={token}
              defaultEmail={invitation.email}
              onSuccess={(payload) => {
                startSession(payload);
                notifySuccess(`Welcome to ${invitation.organizationName}!`, 'Account created');
                navigate('/members', { replace: true });
              }}
            />
          </>
        )}
        {invitation.status !== 'PENDING' ? (
          <Button component={Link} to={session ? '/members' : '/login'} variant="default" fullWidth>
            {session ? 'Go to AgentFlow' : 'Log in'}
          </Button>
        ) : null}
      </Stack>
    </AuthShell>
  );
}
