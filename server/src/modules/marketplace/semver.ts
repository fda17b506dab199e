/**
 * Semver 2.0.0 precedence for the strict versions manifests carry (validated before they get
 * here). Small enough to own rather than make the server depend on the `semver` package for one
 * comparison; build metadata does not count, as the spec says.
 */
const STRICT = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

interface Parsed { core: [bigint, bigint, bigint]; pre: string[] }

function parse(version: string): Parsed {
  const m = STRICT.exec(version);
  if (!m) throw new Error(`Not a strict semver version: ${version}`);
  return { core: [BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!)], pre: m[4] ? m[4].split('.') : [] };
}

export const isStrictSemver = (version: string): boolean => STRICT.test(version);

function compareIdentifiers(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Math.sign(Number(BigInt(a) - BigInt(b)));
  if (an !== bn) return an ? -1 : 1; // numeric identifiers sort before alphanumeric ones
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative, zero or positive as `a` precedes, equals or follows `b`. */
export function compareSemver(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return x.core[i]! < y.core[i]! ? -1 : 1;
  // A pre-release precedes its release: 1.0.0-rc.1 < 1.0.0.
  if (!x.pre.length || !y.pre.length) return (y.pre.length ? 1 : 0) - (x.pre.length ? 1 : 0);
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const d = compareIdentifiers(x.pre[i]!, y.pre[i]!);
    if (d) return d;
  }
  return Math.sign(x.pre.length - y.pre.length);
}
