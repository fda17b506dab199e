import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BundleError, ManifestError } from '../pack.ts';
import { init } from './init.ts';
import { processIo, UsageError, type CliIo } from './io.ts';
import { keygen } from './keygen.ts';
import { pack } from './pack.ts';
import { publish } from './publish.ts';
import { runTests } from './test.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

interface Command {
  usage: string;
  options: Options;
  maxPositionals: number;
  run(io: CliIo, positionals: string[], values: Record<string, string | boolean | undefined>, rest: string[]): Promise<number>;
}

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

const COMMANDS: Record<string, Command> = {
  init: {
    usage: 'agentflow-plugin init <dir> [--name <plugin-name>] [--title <title>] [--force]',
    options: { name: { type: 'string' }, title: { type: 'string' }, force: { type: 'boolean' } },
    maxPositionals: 1,
    run(io, [dir], v) {
      if (!dir) throw new UsageError('Missing <dir>: where to create the plugin package');
      return init(io, { dir, name: str(v.name), title: str(v.title), force: v.force === true });
    },
  },
  test: {
    usage: 'agentflow-plugin test [dir] [-- <vitest arguments>]',
    options: {},
    maxPositionals: 1,
    run: (io, [dir], _v, rest) => runTests(io, { dir, vitestArgs: rest }),
  },
  pack: {
    usage: 'agentflow-plugin pack [dir] [--out <file>] [--key <private-key.pem>] [--changelog <text>]',
    options: { out: { type: 'string' }, key: { type: 'string' }, changelog: { type: 'string' } },
    maxPositionals: 1,
    run: (io, [dir], v) => pack(io, { dir, out: str(v.out), key: str(v.key), changelog: str(v.changelog) }),
  },
  keygen: {
    usage: 'agentflow-plugin keygen [--out-dir <dir>] [--name <file-prefix>] [--force]',
    options: { 'out-dir': { type: 'string' }, name: { type: 'string' }, force: { type: 'boolean' } },
    maxPositionals: 0,
    run: (io, _p, v) => keygen(io, { outDir: str(v['out-dir']), name: str(v.name), force: v.force === true }),
  },
  publish: {
    usage: 'agentflow-plugin publish [file] --server <url> --api-key <key> [--price-cents <n>]\n'
      + '  (AGENTFLOW_SERVER and AGENTFLOW_API_KEY stand in for the flags)',
    options: { server: { type: 'string' }, 'api-key': { type: 'string' }, 'price-cents': { type: 'string' } },
    maxPositionals: 1,
    run: (io, [file], v) => publish(io, { file, server: str(v.server), apiKey: str(v['api-key']), priceCents: str(v['price-cents']) }),
  },
};

const USAGE = [
  'Usage: agentflow-plugin <command>',
  '',
  'Commands:',
  ...Object.values(COMMANDS).map((c) => `  ${c.usage.split('\n')[0]}`),
  '',
  'Run "agentflow-plugin <command> --help" for one command.',
].join('\n');

/**
 * The `agentflow-plugin` command line. Exit codes: 0 done, 1 the command failed (tests failed,
 * invalid manifest, server refused), 2 it was called wrongly.
 *
 * @example
 * process.exitCode = await main(['pack', 'my-plugin', '--key', 'agentflow-signing.key.pem']);
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr)(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  // Everything after `--` belongs to the command (vitest's arguments for `test`).
  const split = args.indexOf('--');
  const own = split < 0 ? args : args.slice(0, split);
  const rest = split < 0 ? [] : args.slice(split + 1);
  try {
    if (own.includes('--help') || own.includes('-h')) {
      io.stdout(`Usage: ${command.usage}`);
      return 0;
    }
    let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
    try {
      parsed = parseArgs({ args: own, options: command.options, allowPositionals: true, strict: true }) as typeof parsed;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (parsed.positionals.length > command.maxPositionals) {
      throw new UsageError(`Unexpected argument "${parsed.positionals[command.maxPositionals]}"`);
    }
    return await command.run(io, parsed.positionals, parsed.values, rest);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\nUsage: ${command.usage}`);
      return 2;
    }
    if (error instanceof ManifestError || error instanceof BundleError) {
      io.stderr(error.message);
      return 1;
    }
    io.stderr(`agentflow-plugin ${name} failed: ${(error as Error).message ?? String(error)}`);
    return 1;
  }
}
