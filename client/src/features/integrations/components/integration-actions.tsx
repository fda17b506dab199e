import { useMemo } from 'react';
import { Code, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useQuery } from 'urql';
import { ErrorAlert } from '../../../components/error-alert';
import { IntegrationActionsQuery } from '../api/integrations.api';

/** What agents can do through a connection: its plugin's tools. */
export function IntegrationActions({ integrationId }: { integrationId: string }) {
  const variables = useMemo(() => ({ integrationId }), [integrationId]);
  const [{ data, error }, reexecute] = useQuery({ query: IntegrationActionsQuery, variables });
  if (error && !data) {
    return <ErrorAlert error={error} title="Could not load the actions" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
  }
  if (!data) return <Skeleton height={40} radius="sm" aria-label="Loading" />;
  if (data.integrationActions.length === 0) {
    return (
      <Text fz="sm" c="dimmed" data-testid="integration-actions-empty">
        This plugin offers no actions.
      </Text>
    );
  }
  return (
    <Stack gap={6} data-testid="integration-actions">
      {data.integrationActions.map((action) => (
        <Group key={action.id} gap="xs" wrap="nowrap" align="flex-start" data-testid={`integration-action-${action.id}`}>
          <Code fz="xs">{action.id}</Code>
          <Text fz="sm">
            {action.title ? <b>{action.title}: </b> : null}
            {action.description}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}
