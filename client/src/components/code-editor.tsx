import { Suspense, lazy, useId, type ReactNode } from 'react';
import { Input, Skeleton } from '@mantine/core';

const CodeEditorCodeMirror = lazy(async () => ({ default: (await import('./code-editor-codemirror')).CodeEditorCodeMirror }));

interface CodeEditorProps {
  label: string;
  description?: ReactNode;
  value: string;
  onChange: (value: string) => void;
  readOnly?: boolean;
  error?: ReactNode;
  required?: boolean;
  testId: string;
  minHeight?: string;
}

/** JavaScript in CodeMirror (custom tools, workflow code nodes); the editor is `.cm-content` inside `testId`. */
export function CodeEditor({ label, description, value, onChange, readOnly = false, error, required, testId, minHeight = '240px' }: CodeEditorProps) {
  const id = useId();
  const labelId = `${id}-label`;
  const descriptionId = `${id}-description`;
  return (
    <Input.Wrapper
      label={label}
      labelElement="div"
      labelProps={{ id: labelId }}
      description={description}
      descriptionProps={{ id: descriptionId }}
      error={error}
      withAsterisk={required}
    >
      <div
        data-testid={testId}
        style={{
          marginTop: 4,
          border: `1px solid ${error ? 'var(--mantine-color-error)' : 'var(--mantine-color-default-border)'}`,
          borderRadius: 'var(--mantine-radius-md)',
          overflow: 'hidden',
          fontSize: 13,
        }}
      >
        <Suspense fallback={<Skeleton height={Number.parseInt(minHeight, 10) || 240} radius={0} aria-label="Loading the editor" />}>
          <CodeEditorCodeMirror
            value={value}
            onChange={onChange}
            readOnly={readOnly}
            labelId={labelId}
            describedBy={description ? descriptionId : undefined}
            minHeight={minHeight}
          />
        </Suspense>
      </div>
    </Input.Wrapper>
  );
}
