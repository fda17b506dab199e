import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Client, cacheExchange, fetchExchange } from 'urql';
import { describe, expect, it } from 'vitest';
import { graphqlFetch, renderWithProviders } from '../../../test/render';
import { ReviewsSection } from './reviews-section';

const review = { id: 'PluginReview:1', rating: 4, body: 'Posts reliably.', authorName: 'Ada', organizationName: 'Acme', createdAt: '2026-11-24T10:00:00Z' };

function renderReviews(canReview: boolean, listingCanReview: boolean, responders: Parameters<typeof graphqlFetch>[0] = {}) {
  const api = graphqlFetch(responders);
  const client = new Client({ url: 'http://localhost/graphql', exchanges: [cacheExchange, fetchExchange], fetch: api.fetch, preferGetMethod: false });
  renderWithProviders(<ReviewsSection listing={{ id: 'PluginListing:1', reviews: [review], canReview: listingCanReview }} canReview={canReview} />, { client });
  return api;
}

describe('ReviewsSection', () => {
  it('lists the reviews; no form for an organization that may not review', () => {
    renderReviews(true, false);
    expect(screen.getByTestId('review').textContent).toContain('Posts reliably.');
    expect(screen.queryByTestId('review-form')).toBeNull();
  });

  it('lets an organization that installed it publish one review, stars required', async () => {
    const api = renderReviews(true, true, { ReviewPlugin: () => ({ data: { reviewPlugin: { ...review, id: 'PluginReview:2', rating: 5, body: 'Great' } } }) });
    const submit = screen.getByTestId('review-submit') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    const stars = within(screen.getByTestId('review-form')).getAllByRole('radio');
    fireEvent.keyDown(stars[stars.length - 1]!, { key: 'Enter' });
    expect(screen.getByText('5 of 5')).toBeTruthy();
    fireEvent.change(screen.getByTestId('review-body'), { target: { value: ' Great ' } });
    fireEvent.click(submit);
    await waitFor(() => expect(api.requests[0]?.variables).toEqual({ input: { listingId: 'PluginListing:1', rating: 5, body: 'Great' } }));
  });

  it('hides the form without plugins:review', () => {
    renderReviews(false, true);
    expect(screen.queryByTestId('review-form')).toBeNull();
  });
});
