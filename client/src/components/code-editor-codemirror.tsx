import { useMemo } from 'react';
import { javascript } from '@codemirror/lang-javascript';
import { EditorView } from '@codemirror/view';
import { useComputedColorScheme } from '@mantine/core';
import CodeMirror from '@uiw/react-codemirror';

// Loaded lazily (code-editor.tsx): CodeMirror and its JavaScript grammar stay out of the main bundle.

export interface CodeEditorCodeMirrorProps {
  value: string;
  onChange: (value: string) => void;
  readOnly: boolean;
  labelId: string;
  describedBy?: string;
  minHeight: string;
}

export function CodeEditorCodeMirror({ value, onChange, readOnly, labelId, describedBy, minHeight }: CodeEditorCodeMirrorProps) {
  const scheme = useComputedColorScheme('light');
  const extensions = useMemo(
    () => [
      javascript(),
      EditorView.contentAttributes.of({
        'aria-labelledby': labelId,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(readOnly ? { 'aria-readonly': 'true' } : {}),
      }),
    ],
    [labelId, describedBy, readOnly],
  );
  return (
    <CodeMirror
      value={value}
      onChange={onChange}
      extensions={extensions}
      editable={!readOnly}
      readOnly={readOnly}
      theme={scheme === 'dark' ? 'dark' : 'light'}
      minHeight={minHeight}
      maxHeight="640px"
      basicSetup={{ autocompletion: false, highlightActiveLine: !readOnly, highlightActiveLineGutter: !readOnly }}
    />
  );
}
