/**
 * Every call to /console/api goes through here: the bearer token on the way out; on the way back a 401 signs the
 * user out (the login page shows again), a 403 becomes the "not allowed for your role" message, anything else a
 * short error with its status. Pages use `useApi` for reads and `apiSend` for actions.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { forgetToken, storedToken } from './auth';

export class ApiError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

let apiBase = '';
let onSignedOut: () => void = () => {};

export function configureApi(settings: { baseUrl: string; signedOut: () => void }): void {
  apiBase = settings.baseUrl.replace(/\/$/, '');
  onSignedOut = settings.signedOut;
}

export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const token = storedToken();
  if (!token) {
    onSignedOut();
    throw new ApiError(401);
  }
  let response: Response;
  try {
    response = await fetch(`${apiBase}/console/api${path}`, {
      ...init,
      headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers, authorization: `Bearer ${token}` },
    });
  } catch {
    throw new ApiError(0);
  }
  if (response.status === 401) {
    forgetToken();
    onSignedOut();
  }
  if (!response.ok) throw new ApiError(response.status);
  return response;
}

export async function apiJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  return (await (await apiFetch(path, init)).json()) as T;
}

export function apiSend<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return apiFetch(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }).then(async (response) => {
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  });
}

export interface Resource<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  reload: () => void;
}

/** A GET that reruns when the path changes; null waits (e.g. until a form is submitted). */
export function useApi<T>(path: string | null): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: path !== null });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let current = true;
    setState((previous) => ({ data: previous.data, loading: true }));
    apiJson<T>(path).then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ error: error instanceof ApiError ? error : new ApiError(0), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [path, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, reload };
}
