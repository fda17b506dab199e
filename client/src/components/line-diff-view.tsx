import { useMemo } from 'react';
import { Box, Text } from '@mantine/core';
import { diffLines } from '../lib/line-diff';

const STYLES = {
  added: { background: 'var(--mantine-color-green-light)', color: 'var(--mantine-color-green-light-color)' },
  removed: { background: 'var(--mantine-color-red-light)', color: 'var(--mantine-color-red-light-color)' },
  same: {},
} as const;
const MARKS = { added: '+', removed: '-', same: ' ' } as const;

/** Two texts as one list of lines: removed lines red, added lines green. */
export function LineDiffView({ before, after }: { before: string; after: string }) {
  const lines = useMemo(() => diffLines(before, after), [before, after]);
  return (
    <Box
      component="pre"
      m={0}
      p="xs"
      fz="xs"
      ff="monospace"
      data-testid="line-diff"
      style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-sm)', overflowX: 'auto', maxHeight: 480 }}
    >
      {lines.map((line, i) => (
        <Text
          key={i}
          component="div"
          fz="xs"
          ff="monospace"
          data-change={line.type}
          aria-label={line.type === 'same' ? undefined : `${line.type}: ${line.text}`}
          style={{ ...STYLES[line.type], whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', paddingInline: 4 }}
        >
          {`${MARKS[line.type]} ${line.text}`}
        </Text>
      ))}
    </Box>
  );
}
