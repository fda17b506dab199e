import type { ReactNode } from 'react';
import { Textarea } from '@mantine/core';

interface JsonTextFieldProps {
  label: string;
  description?: ReactNode;
  value: string;
  onChange: (text: string) => void;
  /** The check's message for the current text, or null when it is fine. */
  error: string | null;
  readOnly?: boolean;
  testId: string;
  minRows?: number;
}

/** JSON typed as text and checked on every keystroke: the problem shows under the box, the text stays as typed. */
export function JsonTextField({ label, description, value, onChange, error, readOnly = false, testId, minRows = 6 }: JsonTextFieldProps) {
  return (
    <Textarea
      label={label}
      description={description}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={error}
      readOnly={readOnly}
      autosize
      minRows={minRows}
      maxRows={20}
      spellCheck={false}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
      data-testid={testId}
      data-json-valid={error ? 'false' : 'true'}
    />
  );
}
