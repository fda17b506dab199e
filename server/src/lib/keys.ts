/** The shapes of our primary keys, checked before a client-supplied id reaches SQL. */
export const isUuid = (id: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
/** Identity columns of append-only logs (bigint). */
export const isBigintKey = (id: string): boolean => /^[1-9][0-9]{0,17}$/.test(id);
