import { Badge } from '@mantine/core';
import type { IntegrationStatus } from '../api/integrations.api';

const LOOK: Record<IntegrationStatus, { label: string; color: string }> = {
  CONNECTED: { label: 'Connected', color: 'teal' },
  ERROR: { label: 'Error', color: 'red' },
  DISCONNECTED: { label: 'Disconnected', color: 'gray' },
};

export function IntegrationStatusBadge({ status }: { status: IntegrationStatus }) {
  const look = LOOK[status] ?? { label: status, color: 'gray' };
  return (
    <Badge color={look.color} variant="light" size="sm" data-testid="integration-status" data-status={status}>
      {look.label}
    </Badge>
  );
}
