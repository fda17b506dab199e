import { hash, verify } from '@node-rs/argon2';

// OWASP Password Storage Cheat Sheet: argon2id (the library's default), m=19 MiB, t=2, p=1.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

let dummyHash: Promise<string> | undefined;

/** Computes the dummy hash at start-up, so the first unknown-e-mail login is not the fast one. */
export function warmUpPasswordHashing(): Promise<string> {
  dummyHash ??= hash('not-a-real-password', OPTIONS);
  return dummyHash;
}

/**
 * Verifies a password; with no stored hash (unknown e-mail) it verifies against a dummy hash so
 * the answer takes as long for unknown accounts as for known ones.
 */
export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  if (storedHash === undefined) {
    await verify(await warmUpPasswordHashing(), password);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
