import type { ReactNode } from 'react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { Provider as UrqlProvider } from 'urql';
import { useGraphqlClient } from '../lib/use-graphql-client';
import { theme } from './theme';

function GraphqlProvider({ children }: { children: ReactNode }) {
  const client = useGraphqlClient();
  return <UrqlProvider value={client}>{children}</UrqlProvider>;
}

export function AppProviders({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="bottom-right" limit={4} />
      <GraphqlProvider>{children}</GraphqlProvider>
    </MantineProvider>
  );
}
