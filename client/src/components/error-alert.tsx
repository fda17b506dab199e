import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { formatError } from '../lib/errors';

interface ErrorAlertProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  testId?: string;
}

export function ErrorAlert({ error, title = 'Something went wrong', onRetry, testId = 'error-alert' }: ErrorAlertProps) {
  return (
    <Alert color="red" variant="light" radius="md" icon={<IconAlertTriangle size={18} />} title={title} data-testid={testId}>
      <Group justify="space-between" gap="sm" wrap="nowrap" align="flex-start">
        <Text fz="sm">{formatError(error)}</Text>
        {onRetry ? (
          <Button size="xs" variant="white" color="red" onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </Group>
    </Alert>
  );
}
