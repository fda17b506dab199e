import { Alert, Badge, Box, Code, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconArrowsShuffle, IconTool } from '@tabler/icons-react';
import { formatDuration, formatUsd } from '../../../lib/format';
import type { FinalInfo, TranscriptItem } from '../hooks/chat-transcript';

const count = new Intl.NumberFormat('en-US');

function json(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? String(value);
}

function MessageMeta({ final }: { final: FinalInfo }) {
  return (
    <Group gap="xs" mt={4} data-testid="message-meta" wrap="wrap">
      <Text fz="xs" c="dimmed" data-testid="message-model">
        {final.model}
      </Text>
      <Text fz="xs" c="dimmed" data-testid="message-tokens">
        {count.format(final.inputTokens)} in / {count.format(final.outputTokens)} out
        {final.cachedInputTokens > 0 ? ` (${count.format(final.cachedInputTokens)} cached)` : ''}
      </Text>
      <Text fz="xs" c="dimmed" data-testid="message-cost">
        {formatUsd(final.costUsd)}
      </Text>
      <Text fz="xs" c="dimmed" data-testid="message-latency">
        {formatDuration(final.latencyMs)}
      </Text>
      {final.steps > 1 ? (
        <Text fz="xs" c="dimmed" data-testid="message-steps">
          {final.steps} steps
        </Text>
      ) : null}
      {final.cached ? (
        <Badge size="xs" variant="light" color="teal" data-testid="message-cached">
          cached
        </Badge>
      ) : null}
    </Group>
  );
}

function ToolCard({ item }: { item: Extract<TranscriptItem, { kind: 'tool' }> }) {
  return (
    <Paper withBorder radius="md" p="xs" data-testid="tool-call" data-tool-name={item.name} maw="90%">
      <Stack gap={6}>
        <Group gap={6} wrap="nowrap">
          <IconTool size={14} stroke={1.6} />
          <Text fz="xs" c="dimmed">
            Tool call
          </Text>
          <Code fz="xs" data-testid="tool-call-name">
            {item.name}
          </Code>
          {item.result === null ? <Loader size={10} type="dots" aria-label="Waiting for the tool" /> : null}
        </Group>
        {item.arguments !== undefined ? (
          <Code block fz="xs" data-testid="tool-call-arguments" style={{ maxHeight: 160, overflow: 'auto' }}>
            {json(item.arguments)}
          </Code>
        ) : null}
        {item.result ? (
          <Box data-testid="tool-result" data-error={item.result.error ? 'true' : undefined}>
            <Text fz="xs" c={item.result.error ? 'red' : 'dimmed'} mb={2}>
              {item.result.error ? 'Tool error' : 'Result'}
            </Text>
            <Code block fz="xs" c={item.result.error ? 'red' : undefined} style={{ maxHeight: 160, overflow: 'auto' }}>
              {item.result.error ?? json(item.result.output)}
            </Code>
          </Box>
        ) : null}
      </Stack>
    </Paper>
  );
}

export function ChatItem({ item }: { item: TranscriptItem }) {
  switch (item.kind) {
    case 'user':
      return (
        <Group justify="flex-end">
          <Paper radius="md" px="sm" py={6} bg="var(--mantine-primary-color-light)" maw="85%" data-testid="chat-message" data-role="user">
            <Text fz="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {item.content}
            </Text>
          </Paper>
        </Group>
      );
    case 'assistant':
      return (
        <Box maw="90%" data-testid="chat-message" data-role="assistant" data-status={item.status}>
          <Paper withBorder radius="md" px="sm" py={6} style={item.status === 'interim' ? { opacity: 0.75 } : undefined}>
            <Text fz="sm" fs={item.status === 'interim' ? 'italic' : undefined} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {item.content}
              {item.status === 'streaming' ? <Loader component="span" size={10} type="dots" ml={6} data-testid="chat-streaming" /> : null}
            </Text>
            {item.status === 'stopped' ? (
              <Text fz="xs" c="dimmed" mt={2}>
                (incomplete)
              </Text>
            ) : null}
          </Paper>
          {item.final ? <MessageMeta final={item.final} /> : null}
        </Box>
      );
    case 'tool':
      return <ToolCard item={item} />;
    case 'note':
      return (
        <Group gap={6} data-testid={item.variant === 'failover' ? 'chat-failover' : 'chat-note'}>
          {item.variant === 'stopped' ? null : <IconArrowsShuffle size={12} stroke={1.6} />}
          <Text fz="xs" c={item.variant === 'failover' ? 'orange' : 'dimmed'}>
            {item.text}
          </Text>
        </Group>
      );
    case 'error':
      return (
        <Alert color="red" variant="light" radius="md" icon={<IconAlertTriangle size={16} />} title={item.code} data-testid="chat-error" data-code={item.code}>
          <Text fz="sm">{item.message}</Text>
        </Alert>
      );
  }
}
