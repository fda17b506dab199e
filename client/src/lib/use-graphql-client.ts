import { useSyncExternalStore } from 'react';
import type { Client } from '@urql/core';
import { getGraphqlClient } from './graphql-client';
import { subscribeSession } from './session-store';

/** The app's urql client; it is replaced when the user or the active organization changes. */
export function useGraphqlClient(): Client {
  return useSyncExternalStore(subscribeSession, getGraphqlClient, getGraphqlClient);
}
