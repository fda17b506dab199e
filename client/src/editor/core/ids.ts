/** The definition's id rule: letters, digits, _ and -, starting with a letter, at most 64 characters. */
export const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

function slug(type: string): string {
  const cleaned = type.replace(/[^A-Za-z0-9_-]/g, '');
  return /^[A-Za-z]/.test(cleaned) ? cleaned.slice(0, 50) : `node${cleaned}`.slice(0, 50);
}

/** The first free `<prefix><n>` (n from 1) that is not in `taken`. */
function firstFree(prefix: string, taken: ReadonlySet<string>): { id: string; n: number } {
  for (let n = 1; ; n++) {
    const id = `${prefix}${n}`;
    if (!taken.has(id)) return { id, n };
  }
}

/** A readable node id for a new node of `type`: agent_1, agent_2, ... */
export function nextNodeId(type: string, taken: ReadonlySet<string>): { id: string; n: number } {
  return firstFree(`${slug(type)}_`, taken);
}

/** A readable edge id: e1, e2, ... */
export function nextEdgeId(taken: ReadonlySet<string>): string {
  return firstFree('e', taken).id;
}
