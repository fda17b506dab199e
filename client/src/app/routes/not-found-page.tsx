import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { IconCompass } from '@tabler/icons-react';
import { Link } from 'react-router';
import { Logo } from '../../components/logo';
import { useSession } from '../../lib/use-session';

export function NotFoundPage() {
  const session = useSession();
  return (
    <Center mih="100vh" p="md" data-testid="not-found">
      <Stack align="center" gap="md" maw={440} ta="center">
        <Logo />
        <IconCompass size={56} stroke={1.2} color="var(--mantine-color-violet-6)" />
        <Title order={1} fz={30}>
          Page not found
        </Title>
        <Text c="dimmed">The page you are looking for does not exist or was moved. Check the address, or head back.</Text>
        <Button component={Link} to={session ? '/members' : '/login'} size="md">
          {session ? 'Back to AgentFlow' : 'Go to log in'}
        </Button>
      </Stack>
    </Center>
  );
}
