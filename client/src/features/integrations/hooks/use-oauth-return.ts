import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';
import { notifyError, notifySuccess } from '../../../lib/notify';

/**
 * The OAuth callback sends people back to /settings/integrations?connected=<id> or ?error=<message>:
 * say how it went once, then drop the parameters so a reload does not say it again.
 */
export function useOAuthReturn(nameOf: (id: string) => string | undefined, ready: boolean) {
  const [params, setParams] = useSearchParams();
  const connected = params.get('connected');
  const error = params.get('error');
  const handled = useRef<string | null>(null);

  useEffect(() => {
    const key = connected ? `connected:${connected}` : error ? `error:${error}` : null;
    // Wait for the list, so that the message can name the connection.
    if (!key || handled.current === key || (connected && !ready)) return;
    handled.current = key;
    if (connected) {
      const name = nameOf(connected);
      notifySuccess(`${name ?? 'The integration'} is connected. Agents can use its tools now.`, 'Connected');
    } else if (error) {
      notifyError(error, 'The connection failed');
    }
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete('connected');
        next.delete('error');
        return next;
      },
      { replace: true },
    );
  }, [connected, error, nameOf, ready, setParams]);
}
