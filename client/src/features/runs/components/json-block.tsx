import { Code, Text } from '@mantine/core';

/** A JSON value, pretty-printed; strings show as text. */
export function JsonBlock({ value, testId, empty = '—', maxHeight = 320 }: { value: unknown; testId?: string; empty?: string; maxHeight?: number }) {
  if (value === null || value === undefined) {
    return (
      <Text fz="sm" c="dimmed" data-testid={testId}>
        {empty}
      </Text>
    );
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <Code block fz="xs" data-testid={testId} style={{ maxHeight, overflow: 'auto', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {text}
    </Code>
  );
}
