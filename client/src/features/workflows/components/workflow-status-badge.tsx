import { Badge } from '@mantine/core';
import type { WorkflowStatus } from '../api/workflows.api';

export const WORKFLOW_STATUS_LABELS: Record<WorkflowStatus, string> = { DRAFT: 'Draft', ACTIVE: 'Active', ARCHIVED: 'Archived' };
const COLORS: Record<WorkflowStatus, string> = { DRAFT: 'gray', ACTIVE: 'teal', ARCHIVED: 'orange' };

export function WorkflowStatusBadge({ status }: { status: WorkflowStatus }) {
  return (
    <Badge color={COLORS[status]} variant="light" size="sm" data-testid="workflow-status-badge" data-status={status}>
      {WORKFLOW_STATUS_LABELS[status]}
    </Badge>
  );
}
