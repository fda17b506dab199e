import { Box, Group, Stack, Text, Tooltip } from '@mantine/core';
import type { RunDay } from '../api/runs.api';

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

function labelOf(date: string): string {
  const parsed = new Date(`${date}T00:00:00`);
  return Number.isNaN(parsed.getTime()) ? date : dayLabel.format(parsed);
}

interface Segment {
  value: (day: RunDay) => number;
  color: string;
  label: string;
}

/** One column per day, stacked segments scaled to the busiest day: a chart without a chart library. */
export function DayBars({ days, segments, format, testId, height = 120 }: { days: RunDay[]; segments: Segment[]; format: (value: number) => string; testId: string; height?: number }) {
  const totals = days.map((day) => segments.reduce((sum, s) => sum + s.value(day), 0));
  const max = Math.max(0, ...totals);
  return (
    <Stack gap={4} data-testid={testId}>
      <Group gap={3} align="flex-end" wrap="nowrap" h={height}>
        {days.map((day, i) => (
          <Tooltip
            key={day.date}
            withArrow
            label={`${labelOf(day.date)}: ${segments.map((s) => `${s.label} ${format(s.value(day))}`).join(', ')}`}
          >
            <Stack gap={0} justify="flex-end" h="100%" style={{ flex: 1, minWidth: 4 }} data-testid={`${testId}-${day.date}`} data-total={totals[i]}>
              {segments.map((segment) => {
                const value = segment.value(day);
                if (value <= 0 || max === 0) return null;
                return <Box key={segment.label} h={`${(value / max) * 100}%`} bg={segment.color} style={{ borderRadius: 2, minHeight: 2 }} />;
              })}
              {totals[i] === 0 ? <Box h={2} bg="var(--mantine-color-default-border)" /> : null}
            </Stack>
          </Tooltip>
        ))}
      </Group>
      <Group justify="space-between">
        <Text fz="xs" c="dimmed">
          {days[0] ? labelOf(days[0].date) : ''}
        </Text>
        <Text fz="xs" c="dimmed">
          {days.at(-1) ? labelOf(days.at(-1)!.date) : ''}
        </Text>
      </Group>
      <Group gap="md">
        {segments.map((segment) => (
          <Group key={segment.label} gap={4}>
            <Box w={10} h={10} bg={segment.color} style={{ borderRadius: 2 }} />
            <Text fz="xs" c="dimmed">
              {segment.label}
            </Text>
          </Group>
        ))}
      </Group>
    </Stack>
  );
}
