import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { formatError } from '../../../lib/errors';

export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" variant="light" radius="md" icon={<IconAlertCircle size={18} />} data-testid="form-error" role="alert">
      {formatError(error)}
    </Alert>
  );
}
