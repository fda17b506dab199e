import { useState } from 'react';
import { Anchor, Card, Group, RingProgress, SegmentedControl, SimpleGrid, Stack, Table, Text, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { ErrorAlert } from '../../../components/error-alert';
import { RunStatusBadge } from '../../../components/run-status-badge';
import { TableSkeleton } from '../../../components/table-skeleton';
import { formatDateTime, formatRelative, formatTokenCount, formatUsd } from '../../../lib/format';
import { RunStatsQuery, type RunStats } from '../api/runs.api';
import { useDebouncedRefresh, useOrganizationRunEvents } from '../hooks/use-organization-run-events';
import { DayBars } from './day-bars';

const WINDOWS = [
  { value: '7', label: '7 days' },
  { value: '14', label: '14 days' },
  { value: '30', label: '30 days' },
];

function Stat({ label, value, color, testId, to }: { label: string; value: number; color: string; testId: string; to: string }) {
  return (
    <Card withBorder radius="md" padding="md" component={Link} to={to} data-testid={testId} data-value={value}>
      <Text fz="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={28} fw={700} c={value > 0 ? color : undefined}>
        {value.toLocaleString()}
      </Text>
    </Card>
  );
}

function SuccessRate({ stats, days }: { stats: RunStats; days: number }) {
  const rate = stats.successRate;
  return (
    <Card withBorder radius="md" padding="md" data-testid="stat-success-rate" data-value={rate ?? ''}>
      <Group gap="md" wrap="nowrap">
        <RingProgress size={72} thickness={8} roundCaps sections={rate === null ? [] : [{ value: rate * 100, color: rate >= 0.9 ? 'teal' : rate >= 0.7 ? 'yellow' : 'red' }]} />
        <Stack gap={0}>
          <Text fz="xs" c="dimmed" tt="uppercase" fw={600}>
            Success rate
          </Text>
          <Text fz={24} fw={700}>
            {rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`}
          </Text>
          <Text fz="xs" c="dimmed">
            finished runs, last {days} days
          </Text>
        </Stack>
      </Group>
    </Card>
  );
}

/** /dashboard: what runs now, how runs went per day, what they cost, and the latest failures. */
export function Dashboard() {
  const [days, setDays] = useState('14');
  const [{ data, error }, reexecute] = useQuery({ query: RunStatsQuery, variables: { days: Number(days) } });
  useOrganizationRunEvents(useDebouncedRefresh(() => reexecute({ requestPolicy: 'network-only' }), 1500));

  if (error && !data) return <ErrorAlert error={error} title="Could not load the run statistics" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
  if (!data) return <TableSkeleton rows={6} />;
  const stats = data.runStats;
  const totals = stats.days.reduce(
    (sum, day) => ({ cost: sum.cost + day.costUsd, tokens: sum.tokens + day.inputTokens + day.outputTokens, runs: sum.runs + day.runs }),
    { cost: 0, tokens: 0, runs: 0 },
  );

  return (
    <Stack gap="lg" data-testid="dashboard">
      <Group justify="flex-end">
        <SegmentedControl data={WINDOWS} value={days} onChange={setDays} size="xs" aria-label="Period" data-testid="dashboard-days" />
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }}>
        <Stat label="Running" value={stats.running} color="blue" testId="stat-running" to="/runs?status=RUNNING" />
        <Stat label="Waiting" value={stats.waiting} color="orange" testId="stat-waiting" to="/approvals" />
        <Stat label="Succeeded" value={stats.succeeded} color="teal" testId="stat-succeeded" to="/runs?status=SUCCEEDED" />
        <Stat label="Failed" value={stats.failed} color="red" testId="stat-failed" to="/runs?status=FAILED" />
        <SuccessRate stats={stats} days={Number(days)} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Card withBorder radius="md" padding="md">
          <Text fw={600}>Runs per day</Text>
          <Text fz="xs" c="dimmed" mb="sm">
            {totals.runs.toLocaleString()} in {days} days
          </Text>
          <DayBars
            days={stats.days}
            testId="chart-runs"
            format={(v) => v.toLocaleString()}
            segments={[
              { label: 'Succeeded', color: 'var(--mantine-color-teal-5)', value: (d) => d.succeeded },
              { label: 'Failed', color: 'var(--mantine-color-red-5)', value: (d) => d.failed },
              { label: 'Other', color: 'var(--mantine-color-gray-4)', value: (d) => Math.max(0, d.runs - d.succeeded - d.failed) },
            ]}
          />
        </Card>
        <Card withBorder radius="md" padding="md">
          <Text fw={600}>Tokens per day</Text>
          <Text fz="xs" c="dimmed" mb="sm">
            {formatTokenCount(totals.tokens)} in {days} days
          </Text>
          <DayBars
            days={stats.days}
            testId="chart-tokens"
            format={formatTokenCount}
            segments={[
              { label: 'Input', color: 'var(--mantine-color-violet-4)', value: (d) => d.inputTokens },
              { label: 'Output', color: 'var(--mantine-color-violet-7)', value: (d) => d.outputTokens },
            ]}
          />
        </Card>
        <Card withBorder radius="md" padding="md">
          <Text fw={600}>Cost per day</Text>
          <Text fz="xs" c="dimmed" mb="sm" data-testid="dashboard-total-cost">
            {formatUsd(totals.cost)} in {days} days
          </Text>
          <DayBars days={stats.days} testId="chart-cost" format={formatUsd} segments={[{ label: 'Cost (USD)', color: 'var(--mantine-color-indigo-5)', value: (d) => d.costUsd }]} />
        </Card>
      </SimpleGrid>
      <Card withBorder radius="md" padding={0} data-testid="recent-failures">
        <Text fw={600} px="md" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
          Recent failures
        </Text>
        {stats.recentFailures.length === 0 ? (
          <Text fz="sm" c="dimmed" p="md" data-testid="recent-failures-empty">
            No failed runs in this period.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={600}>
            <Table verticalSpacing="xs">
              <Table.Tbody>
                {stats.recentFailures.map((run) => (
                  <Table.Tr key={run.id} data-testid={`failure-row-${run.id}`}>
                    <Table.Td>
                      <Anchor component={Link} to={`/runs/${encodeURIComponent(run.id)}`} fz="sm" fw={600}>
                        {run.workflow.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <RunStatusBadge status={run.status} />
                    </Table.Td>
                    <Table.Td fz="sm" style={{ overflowWrap: 'anywhere' }}>
                      {run.errorCode ? <Text span fz="sm" fw={600} mr={6}>{run.errorCode}</Text> : null}
                      <Text span fz="sm" c="dimmed">
                        {run.error ?? ''}
                      </Text>
                    </Table.Td>
                    <Table.Td fz="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      <Tooltip label={formatDateTime(run.finishedAt ?? run.createdAt)} withArrow>
                        <Text span fz="sm">
                          {formatRelative(run.finishedAt ?? run.createdAt)}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
    </Stack>
  );
}
