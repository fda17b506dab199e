import type { ReactElement, ReactNode } from 'react';
import { MantineProvider } from '@mantine/core';
import { render, type RenderResult } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { Provider as UrqlProvider, type Client } from 'urql';
import { theme } from '../app/theme';

/** Renders inside the app's providers: Mantine in test mode, an urql client, a memory router. */
export function renderWithProviders(ui: ReactElement, options: { client: Client; route?: string }): RenderResult {
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <MantineProvider theme={theme} env="test">
      <UrqlProvider value={options.client}>
        <MemoryRouter initialEntries={[options.route ?? '/']}>{children}</MemoryRouter>
      </UrqlProvider>
    </MantineProvider>
  );
  return render(ui, { wrapper: Wrapper });
}

export interface RecordedRequest {
  operationName: string | undefined;
  variables: Record<string, unknown>;
  headers: Headers;
}

type Responder = (request: RecordedRequest) => unknown;

/** A fetch stand-in that answers GraphQL POSTs by operation name and records every request. */
export function graphqlFetch(responders: Record<string, Responder>) {
  const requests: RecordedRequest[] = [];
  const fetchImpl = async (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = JSON.parse(String(init?.body)) as { operationName?: string; query: string; variables?: Record<string, unknown> };
    const operationName = body.operationName ?? /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1];
    const request = { operationName, variables: body.variables ?? {}, headers: new Headers(init?.headers) };
    requests.push(request);
    const responder = operationName ? responders[operationName] : undefined;
    const payload = responder ? responder(request) : { errors: [{ message: `No responder for ${operationName}` }] };
    return new Response(JSON.stringify(payload), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fetchImpl as typeof fetch, requests };
}
