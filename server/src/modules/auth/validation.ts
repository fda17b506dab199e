import { z } from 'zod';
import { badInput } from '../../lib/errors.ts';

export const emailSchema = z.string().trim().toLowerCase().max(254, 'Email is too long').pipe(z.email('Enter a valid email address'));
export const passwordSchema = z.string()
  .min(10, 'Password must be at least 10 characters')
  .max(256, 'Password must be at most 256 characters');
export const personNameSchema = z.string().trim().min(1, 'Name is required').max(100, 'Name must be at most 100 characters');
export const organizationNameSchema = z.string().trim().min(1, 'Organization name is required').max(100, 'Organization name must be at most 100 characters');

/** Parses input with a zod schema; a failure is BAD_USER_INPUT naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.');
  throw badInput(issue.message, field ? { field } : undefined);
}
