import type { ReactNode } from 'react';
import { Box, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { Logo } from './logo';

interface AuthShellProps {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}

/** The centered card every signed-out page (login, sign-up, invitations, ...) sits in. */
export function AuthShell({ title, subtitle, children, footer }: AuthShellProps) {
  return (
    <Box
      mih="100vh"
      style={{
        background:
          'radial-gradient(1200px 600px at 10% -10%, var(--mantine-color-violet-light), transparent), radial-gradient(900px 500px at 110% 110%, var(--mantine-color-indigo-light), transparent)',
      }}
    >
      <Center mih="100vh" p="md">
        <Stack w="100%" maw={440} gap="lg">
          <Center>
            <Logo size="lg" />
          </Center>
          <Paper withBorder shadow="md" radius="lg" p={32}>
            <Stack gap={4} mb="lg">
              <Title order={1} fz={24} fw={700}>
                {title}
              </Title>
              {subtitle ? (
                <Text c="dimmed" fz="sm">
                  {subtitle}
                </Text>
              ) : null}
            </Stack>
            {children}
          </Paper>
          {footer ? (
            <Text ta="center" fz="sm" c="dimmed">
              {footer}
            </Text>
          ) : null}
        </Stack>
      </Center>
    </Box>
  );
}
