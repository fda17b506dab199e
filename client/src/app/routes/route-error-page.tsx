import { Button, Center, Code, Stack, Text, Title } from '@mantine/core';
import { IconBug } from '@tabler/icons-react';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { formatError } from '../../lib/errors';

/** Last resort for a render error or a chunk that failed to load (e.g. after a deploy). */
export function RouteErrorPage() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : formatError(error);
  return (
    <Center mih="100vh" p="md" data-testid="route-error">
      <Stack align="center" gap="md" maw={520} ta="center">
        <IconBug size={52} stroke={1.2} color="var(--mantine-color-red-6)" />
        <Title order={1} fz={26}>
          Something broke on this page
        </Title>
        <Text c="dimmed">Reloading usually helps. If it keeps happening, send this message to your administrator.</Text>
        <Code block>{message}</Code>
        <Button onClick={() => window.location.reload()}>Reload</Button>
      </Stack>
    </Center>
  );
}
