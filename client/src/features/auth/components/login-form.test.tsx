import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Client, fetchExchange } from 'urql';
import { describe, expect, it, vi } from 'vitest';
import { graphqlFetch, renderWithProviders } from '../../../test/render';
import type { AuthPayload } from '../api/auth.api';
import { LoginForm } from './login-form';

function clientFor(api: ReturnType<typeof graphqlFetch>) {
  return new Client({ url: 'http://localhost/graphql', exchanges: [fetchExchange], fetch: api.fetch, preferGetMethod: false });
}

function fillAndSubmit(email: string, password: string) {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByTestId('login-submit'));
}

describe('LoginForm', () => {
  it('shows the server error with its code', async () => {
    const api = graphqlFetch({
      Login: () => ({ data: null, errors: [{ message: 'Invalid email or password', extensions: { code: 'UNAUTHENTICATED' } }] }),
    });
    const onSuccess = vi.fn<(payload: AuthPayload) => void>();
    renderWithProviders(<LoginForm onSuccess={onSuccess} />, { client: clientFor(api) });
    fillAndSubmit('ada@example.com', 'wrong-password');
    expect(await screen.findByTestId('form-error')).toHaveProperty('textContent', 'Invalid email or password (UNAUTHENTICATED)');
    expect(onSuccess).not.toHaveBeenCalled();
  });

  it('sends the credentials and hands the payload over', async () => {
    const payload = {
      accessToken: 'a',
      accessTokenExpiresAt: '2030-01-01T00:00:00Z',
      refreshToken: 'r',
      user: { id: 'User:1', name: 'Ada', email: 'ada@example.com' },
      organization: { id: 'Organization:1', name: 'Acme' },
    };
    const api = graphqlFetch({ Login: () => ({ data: { login: payload } }) });
    const onSuccess = vi.fn<(payload: AuthPayload) => void>();
    renderWithProviders(<LoginForm onSuccess={onSuccess} />, { client: clientFor(api) });
    fillAndSubmit('  ada@example.com ', 'correct horse');
    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith(payload));
    expect(api.requests[0]?.variables).toEqual({ input: { email: 'ada@example.com', password: 'correct horse' } });
  });

  it('does not call the server with an invalid email', async () => {
    const api = graphqlFetch({});
    renderWithProviders(<LoginForm onSuccess={vi.fn<(payload: AuthPayload) => void>()} />, { client: clientFor(api) });
    fillAndSubmit('not-an-email', 'pw');
    expect(await screen.findByText('Enter a valid email address')).toBeTruthy();
    expect(api.requests).toHaveLength(0);
  });
});
