import { Suspense, lazy, useId, type ReactNode } from 'react';
import { Badge, Group, Input, Skeleton, Text } from '@mantine/core';
import { templateVariables } from './template-variables';

const InstructionsCodeMirror = lazy(async () => ({ default: (await import('./instructions-codemirror')).InstructionsCodeMirror }));

interface InstructionsEditorProps {
  value: string;
  onChange: (value: string) => void;
  readOnly: boolean;
  error?: ReactNode;
}

/** The system prompt: markdown, with `{{variables}}` highlighted and listed below. */
export function InstructionsEditor({ value, onChange, readOnly, error }: InstructionsEditorProps) {
  const id = useId();
  const labelId = `${id}-label`;
  const descriptionId = `${id}-description`;
  const variables = templateVariables(value);
  return (
    <Input.Wrapper
      label="Instructions"
      labelElement="div"
      labelProps={{ id: labelId }}
      description="The system prompt: who the agent is, what it does and how. Markdown; {{variables}} are highlighted."
      descriptionProps={{ id: descriptionId }}
      error={error}
    >
      <div
        data-testid="instructions-editor"
        style={{
          marginTop: 4,
          border: `1px solid ${error ? 'var(--mantine-color-error)' : 'var(--mantine-color-default-border)'}`,
          borderRadius: 'var(--mantine-radius-md)',
          overflow: 'hidden',
        }}
      >
        <Suspense fallback={<Skeleton height={220} radius={0} aria-label="Loading the editor" />}>
          <InstructionsCodeMirror
            value={value}
            onChange={onChange}
            readOnly={readOnly}
            labelId={labelId}
            describedBy={descriptionId}
            placeholder="You are a support agent for Acme. Answer {{customer_name}}'s questions about…"
          />
        </Suspense>
      </div>
      {variables.length > 0 ? (
        <Group gap={6} mt={6} data-testid="instruction-variables">
          <Text fz="xs" c="dimmed">
            Variables:
          </Text>
          {variables.map((name) => (
            <Badge key={name} size="sm" variant="light" tt="none" radius="sm">{`{{${name}}}`}</Badge>
          ))}
        </Group>
      ) : null}
    </Input.Wrapper>
  );
}
