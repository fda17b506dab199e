import { Button, Group } from '@mantine/core';

interface ModalActionsProps {
  onCancel: () => void;
  submitLabel: string;
  submitting: boolean;
  submitTestId: string;
}

/** The Cancel / submit pair at the foot of every form modal. */
export function ModalActions({ onCancel, submitLabel, submitting, submitTestId }: ModalActionsProps) {
  return (
    <Group justify="flex-end" gap="sm">
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" loading={submitting} data-testid={submitTestId}>
        {submitLabel}
      </Button>
    </Group>
  );
}
