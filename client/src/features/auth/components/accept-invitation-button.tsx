import { Button } from '@mantine/core';
import { useMutation } from 'urql';
import { AcceptInvitationMutation } from '../api/auth.api';
import { FormError } from './form-error';

export function AcceptInvitationButton({ token, onAccepted }: { token: string; onAccepted: (organizationId: string) => void }) {
  const [state, accept] = useMutation(AcceptInvitationMutation);
  const onClick = async () => {
    const result = await accept({ token });
    if (result.data?.acceptInvitation) onAccepted(result.data.acceptInvitation.id);
  };
  return (
    <>
      <FormError error={state.error} />
      <Button size="md" fullWidth onClick={onClick} loading={state.fetching} data-testid="accept-invitation">
        Accept invitation
      </Button>
    </>
  );
}
