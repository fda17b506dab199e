import { useState } from 'react';
import { Button, Card, Center, Group, Loader, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconHistory, IconSearch } from '@tabler/icons-react';
import { EmptyState } from '../../../components/empty-state';
import { ErrorAlert } from '../../../components/error-alert';
import { TableSkeleton } from '../../../components/table-skeleton';
import { useAuditLog } from '../hooks/use-audit-log';
import { AuditLogTable } from './audit-log-table';

export function AuditLogPanel() {
  const [filter, setFilter] = useState('');
  const [action] = useDebouncedValue(filter, 300);
  const { entries, hasNextPage, loading, loadingMore, error, loadMore, reload } = useAuditLog(action);
  const searching = filter !== action;

  return (
    <Card withBorder radius="md" padding={0}>
      <Group px="lg" py="md" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <TextInput
          label="Filter by action"
          placeholder="e.g. member. or invitation.create"
          leftSection={<IconSearch size={16} />}
          rightSection={searching || (loading && entries.length > 0) ? <Loader size={14} /> : null}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          data-testid="audit-filter"
          w={{ base: '100%', sm: 320 }}
        />
      </Group>
      {error && entries.length === 0 ? (
        <Card.Section p="lg">
          <ErrorAlert error={error} title="Could not load the audit log" onRetry={reload} />
        </Card.Section>
      ) : loading ? (
        <TableSkeleton rows={6} />
      ) : entries.length === 0 ? (
        <EmptyState
          icon={IconHistory}
          title={action.trim() ? 'No matching entries' : 'Nothing recorded yet'}
          description={
            action.trim()
              ? `No audit entry has an action matching “${action.trim()}”.`
              : 'Sign-ins, invitations, role changes and API key use are recorded here.'
          }
          testId="audit-empty"
        />
      ) : (
        <>
          <AuditLogTable entries={entries} />
          {error ? (
            <Card.Section p="md">
              <ErrorAlert error={error} title="Could not load more entries" onRetry={loadMore} />
            </Card.Section>
          ) : null}
          {hasNextPage ? (
            <Center py="md">
              <Button variant="default" loading={loadingMore} onClick={loadMore} data-testid="audit-load-more">
                Load more
              </Button>
            </Center>
          ) : null}
        </>
      )}
    </Card>
  );
}
