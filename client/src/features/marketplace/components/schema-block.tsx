import { Code } from '@mantine/core';

/** A JSON Schema (or any JSON value), pretty-printed. */
export function SchemaBlock({ value, testId }: { value: unknown; testId?: string }) {
  return (
    <Code block fz="xs" data-testid={testId} style={{ maxHeight: 280, overflow: 'auto', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {JSON.stringify(value, null, 2)}
    </Code>
  );
}
