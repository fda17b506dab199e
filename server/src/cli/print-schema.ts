import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT_DIR } from '../config/env.ts';
import { printedSchema } from '../graphql/schema.ts';

/** `npm run schema`: regenerates the checked-in schema.graphql. */
writeFileSync(path.join(ROOT_DIR, 'schema.graphql'), printedSchema());
process.stdout.write('Wrote schema.graphql\n');
