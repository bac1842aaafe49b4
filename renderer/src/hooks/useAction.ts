// One async command from a button or a form: pending while it runs, its error message after.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../lib/errors.ts';

export type ActionResult<R> = { ok: true; value: R } | { ok: false; error: string };

export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(async (...args: A): Promise<ActionResult<R>> => {
    setPending(true);
    setError(null);
    try {
      const value = await fnRef.current(...args);
      return { ok: true, value };
    } catch (caught) {
      const message = errorMessage(caught);
      if (mounted.current) setError(message);
      return { ok: false, error: message };
    } finally {
      if (mounted.current) setPending(false);
    }
  }, []);

  const clearError = useCallback(() => setError(null), []);
  return { run, pending, error, setError, clearError };
}
