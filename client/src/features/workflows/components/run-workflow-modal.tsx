import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { IconPlayerPlay } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { formatError } from '../../../lib/errors';
import { StartRunMutation } from '../api/workflows.api';

interface RunWorkflowModalProps {
  opened: boolean;
  onClose: () => void;
  workflowId: string;
  version: number;
  /** Keys of the run input the saved definition reads ({{input.x}}): the form starts with them. */
  inputKeys: readonly string[];
  unsavedChanges: boolean;
}

export function initialRunInput(keys: readonly string[]): string {
  return JSON.stringify(Object.fromEntries(keys.map((key) => [key, ''])), null, 2);
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

function parseInput(text: string): Parsed {
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : 'Not valid JSON' };
  }
}

/** "Run": the run input as JSON, then startRun and on to the run monitor. */
export function RunWorkflowModal({ opened, onClose, workflowId, version, inputKeys, unsavedChanges }: RunWorkflowModalProps) {
  const navigate = useNavigate();
  const [text, setText] = useState(() => initialRunInput(inputKeys));
  const [state, start] = useMutation(StartRunMutation);
  const [error, setError] = useState<unknown>(null);
  const parsed = parseInput(text);

  const submit = async () => {
    if (!parsed.ok) return;
    setError(null);
    const result = await start({ input: { workflowId, input: parsed.value } });
    const run = result.data?.startRun;
    if (run) {
      onClose();
      navigate(`/runs/${encodeURIComponent(run.id)}`);
    } else {
      setError(result.error ?? new Error('The server did not start the run'));
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Run this workflow</Text>} centered radius="md" size="lg">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack gap="md">
          {unsavedChanges ? (
            <Alert color="orange" variant="light" data-testid="run-unsaved-notice">
              {`Runs use the saved version (v${version}); your unsaved changes are not part of this run. Save first to run them.`}
            </Alert>
          ) : null}
          <Textarea
            label="Input"
            description="JSON, available to the nodes as {{input}} and {{input.<key>}}."
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            error={parsed.ok ? undefined : `Not valid JSON: ${parsed.message}`}
            autosize
            minRows={6}
            maxRows={18}
            spellCheck={false}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
            data-testid="run-input"
            data-autofocus
          />
          {error ? (
            <Alert color="red" variant="light" data-testid="run-start-error">
              {formatError(error)}
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" leftSection={<IconPlayerPlay size={16} />} loading={state.fetching} disabled={!parsed.ok} data-testid="run-start">
              Start run
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
