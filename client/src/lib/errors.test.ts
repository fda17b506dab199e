import { CombinedError } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { errorCode, formatError, hasErrorCode } from './errors';

const graphqlError = (message: string, code?: string) =>
  new GraphQLError(message, { extensions: code ? { code } : {} });

describe('formatError', () => {
  it('shows the server message followed by its code', () => {
    const error = new CombinedError({ graphQLErrors: [graphqlError('You do not have permission', 'FORBIDDEN')] });
    expect(formatError(error)).toBe('You do not have permission (FORBIDDEN)');
    expect(errorCode(error)).toBe('FORBIDDEN');
  });

  it('joins several errors and drops duplicates', () => {
    const error = new CombinedError({
      graphQLErrors: [graphqlError('Email is taken', 'CONFLICT'), graphqlError('Email is taken', 'CONFLICT'), graphqlError('Slow down', 'RATE_LIMITED')],
    });
    expect(formatError(error)).toBe('Email is taken (CONFLICT); Slow down (RATE_LIMITED)');
    expect(hasErrorCode(error, 'RATE_LIMITED')).toBe(true);
    expect(hasErrorCode(error, 'FORBIDDEN')).toBe(false);
  });

  it('explains network failures instead of showing a stack', () => {
    const error = new CombinedError({ networkError: new TypeError('Failed to fetch') });
    expect(formatError(error)).toBe('Could not reach the AgentFlow server. Check your connection and try again (NETWORK_ERROR)');
    expect(errorCode(error)).toBe('NETWORK_ERROR');
  });

  it('leaves out the parentheses when there is no code', () => {
    expect(formatError(new CombinedError({ graphQLErrors: [graphqlError('Unexpected error')] }))).toBe('Unexpected error');
    expect(formatError(new Error('boom'))).toBe('boom');
    expect(formatError(undefined)).toBe('Something went wrong');
  });
});
