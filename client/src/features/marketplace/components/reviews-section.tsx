import { useState } from 'react';
import { Button, Group, Paper, Rating, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from 'urql';
import { ErrorAlert } from '../../../components/error-alert';
import { formatDate } from '../../../lib/format';
import { notifySuccess } from '../../../lib/notify';
import { ReviewPluginMutation, type Listing } from '../api/marketplace.api';

// A review changes the listing's rating and canReview: refetch it.
const REVIEW_CONTEXT = { additionalTypenames: ['PluginListing'] };

function ReviewForm({ listingId }: { listingId: string }) {
  const [rating, setRating] = useState(0);
  const [body, setBody] = useState('');
  const [result, review] = useMutation(ReviewPluginMutation);
  const submit = async () => {
    const outcome = await review({ input: { listingId, rating, ...(body.trim() ? { body: body.trim() } : {}) } }, REVIEW_CONTEXT);
    if (outcome.data) notifySuccess('Thank you: your review is published.', 'Review saved');
  };
  return (
    <Paper withBorder radius="md" p="md" data-testid="review-form">
      <Stack gap="sm">
        <Text fw={600} fz="sm">
          Review it for your organization
        </Text>
        <Group gap="xs">
          <Rating value={rating} onChange={setRating} aria-label="Your rating" data-testid="review-rating" />
          <Text fz="xs" c="dimmed">
            {rating === 0 ? 'Pick 1 to 5 stars' : `${rating} of 5`}
          </Text>
        </Group>
        <Textarea
          label="What worked, what did not (optional)"
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          autosize
          minRows={2}
          maxRows={8}
          data-testid="review-body"
        />
        {result.error ? <ErrorAlert error={result.error} title="Could not save the review" /> : null}
        <Group justify="flex-end">
          <Button onClick={() => void submit()} disabled={rating === 0} loading={result.fetching} data-testid="review-submit">
            Publish review
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** Reviews by organizations that installed the listing, and the form for one that may still review it. */
export function ReviewsSection({ listing, canReview }: { listing: Pick<Listing, 'id' | 'reviews' | 'canReview'>; canReview: boolean }) {
  return (
    <Stack gap="sm" data-testid="listing-reviews">
      {canReview && listing.canReview ? <ReviewForm listingId={listing.id} /> : null}
      {listing.reviews.length === 0 ? (
        <Text fz="sm" c="dimmed" data-testid="reviews-empty">
          No reviews yet. Organizations that installed it can review it, once each.
        </Text>
      ) : (
        listing.reviews.map((review) => (
          <Paper key={review.id} withBorder radius="md" p="sm" data-testid="review">
            <Stack gap={4}>
              <Group justify="space-between" gap="xs">
                <Group gap="xs">
                  <Rating value={review.rating} readOnly size="sm" aria-label={`${review.rating} of 5`} />
                  <Text fz="sm" fw={500}>
                    {review.authorName}
                  </Text>
                  <Text fz="xs" c="dimmed">
                    {review.organizationName}
                  </Text>
                </Group>
                <Text fz="xs" c="dimmed">
                  {formatDate(review.createdAt)}
                </Text>
              </Group>
              {review.body ? <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }}>{review.body}</Text> : null}
            </Stack>
          </Paper>
        ))
      )}
    </Stack>
  );
}
