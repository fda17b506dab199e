import { useMemo } from 'react';
import { markdown } from '@codemirror/lang-markdown';
import { Decoration, EditorView, MatchDecorator, ViewPlugin, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { useComputedColorScheme } from '@mantine/core';
import CodeMirror from '@uiw/react-codemirror';
import { TEMPLATE_VARIABLE_SOURCE } from './template-variables';

// Loaded lazily (instructions-editor.tsx): CodeMirror and its markdown grammar stay out of the main bundle.

const variableMatcher = new MatchDecorator({
  regexp: new RegExp(TEMPLATE_VARIABLE_SOURCE, 'g'),
  decoration: Decoration.mark({ class: 'cm-template-variable' }),
});

/** Highlights `{{variables}}` so they stand out from the prose of the prompt. */
const templateVariableHighlight = [
  ViewPlugin.fromClass(
    class {
      decorations: DecorationSet;
      constructor(view: EditorView) {
        this.decorations = variableMatcher.createDeco(view);
      }
      update(update: ViewUpdate) {
        this.decorations = variableMatcher.updateDeco(update, this.decorations);
      }
    },
    { decorations: (plugin) => plugin.decorations },
  ),
  EditorView.baseTheme({
    '.cm-template-variable': {
      color: 'var(--mantine-color-violet-filled)',
      backgroundColor: 'var(--mantine-color-violet-light)',
      borderRadius: '3px',
      fontWeight: '600',
    },
  }),
];

export interface InstructionsCodeMirrorProps {
  value: string;
  onChange: (value: string) => void;
  readOnly: boolean;
  /** id of the element that labels the editor. */
  labelId: string;
  describedBy?: string;
  placeholder?: string;
}

export function InstructionsCodeMirror({ value, onChange, readOnly, labelId, describedBy, placeholder }: InstructionsCodeMirrorProps) {
  const scheme = useComputedColorScheme('light');
  const extensions = useMemo(
    () => [
      markdown(),
      templateVariableHighlight,
      EditorView.lineWrapping,
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
      minHeight="220px"
      maxHeight="560px"
      placeholder={placeholder}
      basicSetup={{ foldGutter: false, autocompletion: false, highlightActiveLine: !readOnly, highlightActiveLineGutter: !readOnly }}
    />
  );
}
