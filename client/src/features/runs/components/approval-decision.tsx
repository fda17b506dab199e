import { useState } from 'react';
import { Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import { useMutation } from 'urql';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { notifyError, notifySuccess } from '../../../lib/notify';
import { ROLE_LABELS } from '../../../lib/roles';
import { ApproveStepMutation, RejectStepMutation, type Approval } from '../api/runs.api';
import { JsonBlock } from './json-block';

interface ApprovalDecisionProps {
  approval: Approval;
  /** Whether the caller may decide (approvals:decide); the server also checks the assignee role. */
  canDecide: boolean;
  onDecided?: (approval: Approval) => void;
}

/** A pending approval: what is asked, its details, and approve / reject with a comment. */
export function ApprovalDecision({ approval, canDecide, onDecided }: ApprovalDecisionProps) {
  const [comment, setComment] = useState('');
  const [approveState, approve] = useMutation(ApproveStepMutation);
  const [rejectState, reject] = useMutation(RejectStepMutation);
  const busy = approveState.fetching || rejectState.fetching;

  const decide = async (approved: boolean) => {
    const variables = { approvalId: approval.id, comment: comment.trim() || null };
    const result = approved ? await approve(variables) : await reject(variables);
    const decided = result.data ? ('approveStep' in result.data ? result.data.approveStep : result.data.rejectStep) : null;
    if (!decided) {
      notifyError(result.error, approved ? 'Could not approve' : 'Could not reject');
      return;
    }
    notifySuccess(approved ? 'The run continues on its approved branch.' : 'The run continues on its rejected branch.', approved ? 'Approved' : 'Rejected');
    onDecided?.(decided);
  };

  return (
    <Stack gap="sm" data-testid="approval-decision" data-approval-id={approval.id}>
      <Text fz="sm" fw={500} style={{ whiteSpace: 'pre-wrap' }} data-testid="approval-message">
        {approval.message}
      </Text>
      {approval.details !== null && approval.details !== undefined ? <JsonBlock value={approval.details} testId="approval-details" maxHeight={220} /> : null}
      <Text fz="xs" c="dimmed">
        Requested {formatRelative(approval.createdAt)} · {ROLE_LABELS[approval.assigneeRole] ?? approval.assigneeRole} or higher may decide
        {approval.expiresAt ? ` · rejected automatically ${formatRelative(approval.expiresAt)} (${formatDateTime(approval.expiresAt)})` : ''}
      </Text>
      {canDecide ? (
        <>
          <Textarea
            placeholder="Comment (optional): why, or what to change"
            aria-label="Comment"
            value={comment}
            onChange={(event) => setComment(event.currentTarget.value)}
            autosize
            minRows={2}
            maxRows={6}
            disabled={busy}
            data-testid="approval-comment"
          />
          <Group gap="sm">
            <Button color="teal" leftSection={<IconCheck size={16} />} loading={approveState.fetching} disabled={busy} onClick={() => void decide(true)} data-testid="approve-button">
              Approve
            </Button>
            <Button color="red" variant="light" leftSection={<IconX size={16} />} loading={rejectState.fetching} disabled={busy} onClick={() => void decide(false)} data-testid="reject-button">
              Reject
            </Button>
          </Group>
        </>
      ) : (
        <Text fz="sm" c="dimmed" data-testid="approval-read-only">
          You cannot decide approvals in this organization.
        </Text>
      )}
    </Stack>
  );
}
