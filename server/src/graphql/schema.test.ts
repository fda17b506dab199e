import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ROOT_DIR } from '../config/env.ts';
import { printedSchema } from './schema.ts';

it('schema.graphql is the printed schema of the code', () => {
  const checkedIn = readFileSync(path.join(ROOT_DIR, 'schema.graphql'), 'utf8');
  expect(checkedIn, 'schema.graphql is out of date: run `npm run schema` and commit the result').toBe(printedSchema());
});
