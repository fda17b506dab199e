import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { verifyPacked } from '../pack.ts';
import { UsageError, type CliIo } from './io.ts';

// Variables rather than a named input type: the document can be large and is never inlined.
const PUBLISH = `mutation PublishPlugin($document: JSON!, $priceCents: Int) {
  publishPlugin(input: { document: $document, priceCents: $priceCents }) { id version sha256 signed sizeBytes }
}`;

interface GraphQLResponse {
  data?: { publishPlugin?: { id: string; version: string; sha256: string; signed: boolean; sizeBytes: number } | null } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * Sends a packed plugin to an AgentFlow server's `publishPlugin` mutation, authenticated with an
 * organization API key (`Authorization: Bearer afk_...`, a role with plugins:publish).
 */
export async function publish(io: CliIo, options: { file?: string; server?: string; apiKey?: string; priceCents?: string }): Promise<number> {
  const server = options.server ?? io.env.AGENTFLOW_SERVER;
  const apiKey = options.apiKey ?? io.env.AGENTFLOW_API_KEY;
  if (!server) throw new UsageError('Missing --server <url> (or AGENTFLOW_SERVER): the AgentFlow server to publish to');
  if (!apiKey) throw new UsageError('Missing --api-key <key> (or AGENTFLOW_API_KEY): an API key of your organization with the owner or admin role');
  let priceCents: number | undefined;
  if (options.priceCents !== undefined) {
    priceCents = Number(options.priceCents);
    if (!/^\d+$/.test(options.priceCents) || !Number.isSafeInteger(priceCents)) throw new UsageError(`--price-cents must be a whole number of cents, such as 0 or 499 (got "${options.priceCents}")`);
  }
  let endpoint: URL;
  try {
    endpoint = new URL(server);
  } catch {
    throw new UsageError(`--server must be a URL such as https://agentflow.example.com (got "${server}")`);
  }
  if (!endpoint.pathname.replace(/\/$/, '').endsWith('/graphql')) endpoint = new URL(`${endpoint.pathname.replace(/\/$/, '')}/graphql`, endpoint);

  const file = resolve(io.cwd, options.file ?? await onlyPackedFile(io.cwd));
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read ${file} as a packed plugin: ${(error as Error).message}`, { cause: error });
  }
  const verified = verifyPacked(document);
  if (!verified.ok) throw new Error(`${file} is not a valid packed plugin: ${verified.error} (pack it again with "agentflow-plugin pack")`);
  const { name } = verified.packed.manifest;

  let response: Response;
  try {
    response = await io.fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query: PUBLISH, operationName: 'PublishPlugin', variables: { document, priceCents } }),
    });
  } catch (error) {
    // fetch's own message is only "fetch failed"; the reason (ECONNREFUSED, DNS) is its cause.
    const reason = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
    throw new Error(`Could not reach ${endpoint.href}: ${reason}`, { cause: error });
  }
  let body: GraphQLResponse;
  try {
    body = await response.json() as GraphQLResponse;
  } catch {
    throw new Error(`${endpoint.href} answered ${response.status} ${response.statusText} without a GraphQL response: is it an AgentFlow server?`);
  }
  if (body.errors?.length) {
    for (const error of body.errors) io.stderr(`Publish failed: ${error.message}${error.extensions?.code ? ` (${error.extensions.code})` : ''}`);
    return 1;
  }
  const published = body.data?.publishPlugin;
  if (!published) throw new Error(`${endpoint.href} answered ${response.status} without a published version`);
  io.stdout(`Published ${name}@${published.version} to ${endpoint.origin} (${published.signed ? 'signed' : 'unsigned'}, ${published.sizeBytes} bytes)`);
  io.stdout(`sha256 ${published.sha256}`);
  io.stdout(`version id ${published.id}`);
  return 0;
}

async function onlyPackedFile(dir: string): Promise<string> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.agentflow.json'));
  if (files.length === 1) return files[0]!;
  throw new UsageError(files.length
    ? `Several packed plugins here (${files.join(', ')}): name the one to publish`
    : 'No *.agentflow.json here: run "agentflow-plugin pack" first, or name the file');
}
