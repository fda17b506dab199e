import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { badInput, notFound } from '../lib/errors.ts';
import { isBigintKey, isUuid } from '../lib/keys.ts';

/** Keys are uuids except for append-only logs, keyed by identity columns. */
const isKeyOf = (typename: string, id: string): boolean => (typename === 'AuditEntry' ? isBigintKey(id) : isUuid(id));

export const toGlobalId = (typename: string, id: string): string => encodeGlobalID(typename, id);

/** Decodes a Relay global ID. Not an ID at all: BAD_USER_INPUT; another type or no such row shape: NOT_FOUND. */
export function fromGlobalId(globalId: string, typename: string): string {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(globalId);
  } catch {
    throw badInput(`"${globalId.slice(0, 60)}" is not a valid ID`);
  }
  if (decoded.typename !== typename || !isKeyOf(typename, decoded.id)) throw notFound(typename);
  return decoded.id;
}

/** Like fromGlobalId but answers undefined for anything that is not a well-formed ID of that type. */
export function tryGlobalId(globalId: string): { typename: string; id: string } | undefined {
  try {
    const decoded = decodeGlobalID(globalId);
    return isKeyOf(decoded.typename, decoded.id) ? decoded : undefined;
  } catch {
    return undefined;
  }
}
