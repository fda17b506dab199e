import { useState } from 'react';
import { Textarea } from '@mantine/core';
import { jsonEqual } from '../../../editor/core/definition';

interface JsonFieldProps {
  label: string;
  description?: string;
  value: unknown;
  onChange: (value: unknown) => void;
  /** Problems with the value itself (from the schema check), shown under the field. */
  error?: string;
  required?: boolean;
  readOnly: boolean;
  testId: string;
  placeholder?: string;
}

const format = (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 2));

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

function parse(text: string): Parsed {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : 'Not valid JSON' };
  }
}

/**
 * A JSON value edited as text. Text that does not parse stays in the box with the parser's
 * message and is not passed on; the last valid value remains the node's.
 */
export function JsonField({ label, description, value, onChange, error, required, readOnly, testId, placeholder }: JsonFieldProps) {
  const [text, setText] = useState(() => format(value));
  const [shown, setShown] = useState(value);
  // The value changed from outside (undo, another node): show it unless the text already says so.
  if (shown !== value) {
    setShown(value);
    const current = parse(text);
    if (!current.ok || !jsonEqual(current.value, value)) setText(format(value));
  }
  const parsed = parse(text);
  const parseError = parsed.ok ? null : `Not valid JSON: ${parsed.message}`;

  return (
    <Textarea
      label={label}
      description={description}
      withAsterisk={required}
      value={text}
      onChange={(event) => {
        const next = event.currentTarget.value;
        setText(next);
        const result = parse(next);
        if (result.ok) {
          setShown(result.value);
          onChange(result.value);
        }
      }}
      error={parseError ?? error}
      readOnly={readOnly}
      disabled={readOnly}
      autosize
      minRows={3}
      maxRows={14}
      spellCheck={false}
      placeholder={placeholder}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
      data-testid={testId}
      data-json-valid={parseError ? 'false' : 'true'}
    />
  );
}
