import { notifications } from '@mantine/notifications';
import { formatError } from './errors';

export function notifyError(error: unknown, title = 'Something went wrong'): void {
  notifications.show({
    color: 'red',
    title,
    message: formatError(error),
    autoClose: 8000,
    'data-testid': 'notification-error',
  });
}

export function notifySuccess(message: string, title?: string): void {
  notifications.show({ color: 'teal', title, message, 'data-testid': 'notification-success' });
}
