import { gql } from '@urql/core';
import { afterEach, describe, expect, it } from 'vitest';
import { graphqlFetch } from '../test/render';
import { createGraphqlClient } from './graphql-client';
import { getSession, setSession, type Session } from './session-store';

const OrganizationQuery = gql<{ organization: { id: string } }>('query CurrentOrganization { organization { id } }');
const LoginMutation = gql('mutation Login($input: LoginInput!) { login(input: $input) { accessToken } }');

const soon = (ms: number) => new Date(Date.now() + ms).toISOString();
const session: Session = {
  accessToken: 'access-1',
  accessTokenExpiresAt: soon(15 * 60_000),
  refreshToken: 'refresh-1',
  userId: 'User:1',
  organizationId: 'Organization:42',
};
const refreshed = {
  data: {
    refreshSession: { accessToken: 'access-2', accessTokenExpiresAt: soon(15 * 60_000), refreshToken: 'refresh-2', user: { id: 'User:1' } },
  },
};
const url = 'http://localhost/graphql';

afterEach(() => setSession(null));

describe('graphql client', () => {
  it('sends the bearer token and the active organization', async () => {
    setSession(session);
    const api = graphqlFetch({ CurrentOrganization: () => ({ data: { organization: { __typename: 'Organization', id: 'Organization:42' } } }) });
    const { client } = createGraphqlClient({ url, fetch: api.fetch });
    const result = await client.query(OrganizationQuery, {}).toPromise();
    expect(result.data?.organization.id).toBe('Organization:42');
    expect(api.requests[0]?.headers.get('authorization')).toBe('Bearer access-1');
    expect(api.requests[0]?.headers.get('x-organization-id')).toBe('Organization:42');
  });

  it('sends no token with public operations such as login', async () => {
    setSession(session);
    const api = graphqlFetch({ Login: () => ({ data: { login: { accessToken: 'x' } } }) });
    const { client } = createGraphqlClient({ url, fetch: api.fetch });
    await client.mutation(LoginMutation, { input: { email: 'a@b.co', password: 'pw' } }).toPromise();
    expect(api.requests[0]?.headers.get('authorization')).toBeNull();
  });

  it('refreshes on UNAUTHENTICATED and retries with the new token', async () => {
    setSession(session);
    const api = graphqlFetch({
      CurrentOrganization: (req) =>
        req.headers.get('authorization') === 'Bearer access-2'
          ? { data: { organization: { __typename: 'Organization', id: 'Organization:42' } } }
          : { data: null, errors: [{ message: 'Sign in to continue', extensions: { code: 'UNAUTHENTICATED' } }] },
      RefreshSession: () => refreshed,
    });
    const { client } = createGraphqlClient({ url, fetch: api.fetch });
    const result = await client.query(OrganizationQuery, {}).toPromise();
    expect(result.error).toBeUndefined();
    expect(api.requests.map((r) => r.operationName)).toEqual(['CurrentOrganization', 'RefreshSession', 'CurrentOrganization']);
    expect(api.requests[1]?.variables).toEqual({ refreshToken: 'refresh-1' });
    expect(getSession()?.refreshToken).toBe('refresh-2');
  });

  it('refreshes before sending when the access token is about to expire', async () => {
    setSession({ ...session, accessTokenExpiresAt: soon(5_000) });
    const api = graphqlFetch({
      CurrentOrganization: () => ({ data: { organization: { __typename: 'Organization', id: 'Organization:42' } } }),
      RefreshSession: () => refreshed,
    });
    const { client } = createGraphqlClient({ url, fetch: api.fetch });
    await client.query(OrganizationQuery, {}).toPromise();
    expect(api.requests.map((r) => r.operationName)).toEqual(['RefreshSession', 'CurrentOrganization']);
    expect(api.requests[1]?.headers.get('authorization')).toBe('Bearer access-2');
  });

  it('signs out when the refresh token is refused', async () => {
    setSession(session);
    const api = graphqlFetch({
      CurrentOrganization: () => ({ data: null, errors: [{ message: 'Sign in to continue', extensions: { code: 'UNAUTHENTICATED' } }] }),
      RefreshSession: () => ({ data: null, errors: [{ message: 'Session expired', extensions: { code: 'UNAUTHENTICATED' } }] }),
    });
    const { client } = createGraphqlClient({ url, fetch: api.fetch });
    const result = await client.query(OrganizationQuery, {}).toPromise();
    expect(result.error?.graphQLErrors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(getSession()).toBeNull();
  });
});
