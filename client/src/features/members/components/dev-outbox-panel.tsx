import { useMemo } from 'react';
import { Anchor, Badge, Card, Code, Group, ScrollArea, Stack, Text } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import { useQuery } from 'urql';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { TableSkeleton } from '../../../components/table-skeleton';
import { formatRelative } from '../../../lib/format';
import { OutboxQuery } from '../api/members.api';
import { useOrganizationEvents } from '../hooks/use-organization-events';

const LINK = /https?:\/\/\S+/;

/** Shows what the server "sent": in development no mail leaves the machine. */
export function DevOutboxPanel() {
  const context = useMemo(() => ({ additionalTypenames: ['Invitation', 'OutboxEmail'] }), []);
  const [{ data, fetching, error }, reexecute] = useQuery({ query: OutboxQuery, variables: { first: 20 }, context });

  useOrganizationEvents((event) => {
    if (event.type === 'INVITATION_CREATED') reexecute({ requestPolicy: 'network-only' });
  });

  const emails = data?.organization.outbox ?? [];

  return (
    <Card withBorder radius="md" padding={0} data-testid="dev-outbox">
      <Group px="lg" py="md" gap="xs" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Text fw={600}>Dev outbox</Text>
        <Badge size="xs" variant="light" color="orange">
          development
        </Badge>
        <Text fz="xs" c="dimmed" ml="auto">
          Emails the server would send, newest first
        </Text>
      </Group>
      {error && !data ? (
        <Card.Section p="lg">
          <ErrorAlert error={error} title="Could not load the outbox" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
        </Card.Section>
      ) : !data && fetching ? (
        <TableSkeleton rows={2} />
      ) : emails.length === 0 ? (
        <EmptyState icon={IconInbox} title="The outbox is empty" description="Invitation and password emails show up here while you develop." />
      ) : (
        <ScrollArea.Autosize mah={560} type="auto">
          <Stack gap={0}>
            {emails.map((email) => {
              const link = LINK.exec(email.text)?.[0];
              return (
                <Stack key={email.id} gap="xs" px="lg" py="md" data-testid="outbox-email" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
                  <Group justify="space-between" wrap="nowrap" gap="sm">
                    <Stack gap={0} style={{ minWidth: 0 }}>
                      <Text fz="sm" fw={500} truncate data-testid="outbox-email-subject">
                        {email.subject}
                      </Text>
                      <Text fz="xs" c="dimmed" data-testid="outbox-email-to">
                        To {email.to}
                      </Text>
                    </Stack>
                    <Group gap="xs" wrap="nowrap">
                      <Badge size="xs" variant="outline" color="gray">
                        {email.status}
                      </Badge>
                      <Text fz="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        {formatRelative(email.createdAt)}
                      </Text>
                    </Group>
                  </Group>
                  {link ? (
                    <Anchor href={link} fz="sm" data-testid="outbox-link" style={{ wordBreak: 'break-all' }}>
                      {link}
                    </Anchor>
                  ) : null}
                  <Code block data-testid="outbox-email-text" style={{ whiteSpace: 'pre-wrap' }}>
                    {email.text}
                  </Code>
                </Stack>
              );
            })}
          </Stack>
        </ScrollArea.Autosize>
      )}
    </Card>
  );
}
