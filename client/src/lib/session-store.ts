export interface Session {
  accessToken: string;
  /** ISO timestamp from the server's AuthPayload.accessTokenExpiresAt. */
  accessTokenExpiresAt: string;
  refreshToken: string;
  userId: string;
  /** The organization every request is scoped to (X-Organization-Id). */
  organizationId: string | null;
}

type Listener = () => void;

export const SESSION_STORAGE_KEY = 'agentflow.session';

const listeners = new Set<Listener>();
let cached: Session | null | undefined;

function isSession(value: unknown): value is Session {
  const v = value as Partial<Session> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.accessToken === 'string' &&
    typeof v.refreshToken === 'string' &&
    typeof v.accessTokenExpiresAt === 'string' &&
    typeof v.userId === 'string' &&
    (v.organizationId === null || typeof v.organizationId === 'string')
  );
}

/** Reads localStorage directly, bypassing the cache (another tab may have written it). */
export function readStoredSession(): Session | null {
  try {
    const raw = globalThis.localStorage?.getItem(SESSION_STORAGE_KEY);
    if (!raw) return null;
    const parsed: unknown = JSON.parse(raw);
    return isSession(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function emit(): void {
  for (const listener of listeners) listener();
}

/** Returns the same object until the session changes, as useSyncExternalStore requires. */
export function getSession(): Session | null {
  if (cached === undefined) cached = readStoredSession();
  return cached;
}

export function setSession(next: Session | null): void {
  cached = next;
  try {
    if (next) localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(next));
    else localStorage.removeItem(SESSION_STORAGE_KEY);
  } catch {
    // Private mode or a full quota: the session still lives for this tab.
  }
  emit();
}

export function updateSession(patch: Partial<Session>): void {
  const current = getSession();
  if (current) setSession({ ...current, ...patch });
}

export function clearSession(): void {
  if (getSession() !== null) setSession(null);
}

export function setActiveOrganization(organizationId: string | null): void {
  const current = getSession();
  if (current && current.organizationId !== organizationId) setSession({ ...current, organizationId });
}

export function subscribeSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** True when the access token expires within `marginMs` (or its date cannot be read). */
export function isNearExpiry(session: Session, marginMs = 30_000, now = Date.now()): boolean {
  const expiresAt = Date.parse(session.accessTokenExpiresAt);
  return Number.isNaN(expiresAt) || expiresAt - now < marginMs;
}

// Other tabs: a refresh, log-out or organization switch there applies here too.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key !== SESSION_STORAGE_KEY && event.key !== null) return;
    cached = readStoredSession();
    emit();
  });
}
