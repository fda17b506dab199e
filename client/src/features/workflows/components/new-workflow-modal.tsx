import { useState } from 'react';
import { Alert, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { ModalActions } from '../../../components/modal-actions';
import { formatError } from '../../../lib/errors';
import { notifySuccess } from '../../../lib/notify';
import { CreateWorkflowMutation } from '../api/workflows.api';
import { workflowPath } from './workflows-table';

/** "New workflow": a name (and description); the server starts it as a manual trigger wired to an output. */
export function NewWorkflowModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [touched, setTouched] = useState(false);
  const [state, create] = useMutation(CreateWorkflowMutation);
  const [error, setError] = useState<unknown>(null);
  const nameError = touched && name.trim() === '' ? 'Give the workflow a name' : undefined;

  const submit = async () => {
    setTouched(true);
    if (name.trim() === '') return;
    setError(null);
    const result = await create({ input: { name: name.trim(), description: description.trim() || undefined } });
    const workflow = result.data?.createWorkflow;
    if (!workflow) {
      setError(result.error ?? new Error('The server did not return the workflow'));
      return;
    }
    notifySuccess(`${workflow.name} is ready to design.`, 'Workflow created');
    onClose();
    navigate(workflowPath(workflow.id));
  };

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>New workflow</Text>} centered radius="md">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack gap="md">
          <TextInput
            label="Name"
            withAsterisk
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={nameError}
            maxLength={200}
            data-testid="new-workflow-name"
            data-autofocus
          />
          <Textarea
            label="Description"
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
            autosize
            minRows={2}
            data-testid="new-workflow-description"
          />
          {error ? (
            <Alert color="red" variant="light" data-testid="new-workflow-error">
              {formatError(error)}
            </Alert>
          ) : null}
          <ModalActions onCancel={onClose} submitLabel="Create workflow" submitting={state.fetching} submitTestId="new-workflow-create" />
        </Stack>
      </form>
    </Modal>
  );
}
