// The page's only door to the server: the console's session endpoints and the admin API behind /ui/api. Every
// state change carries the session's CSRF token (kept in memory only; the admin token never reaches the page).
export const UI_BASE = '/ui';
export const CSRF_HEADER = 'x-switchyard-csrf';

let csrf = '';
export const setCsrf = (token: string) => {
  csrf = token;
};

/** A failed call, with a message a person can act on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** The admin API's `{ error: { message, code } }` → a readable message; anything else → a generic one. */
export function errorMessage(status: number, body: unknown): ApiError {
  const err = (body as { error?: { message?: unknown; code?: unknown } } | null)?.error;
  if (err && typeof err.message === 'string') {
    return new ApiError(status, err.message, typeof err.code === 'string' ? err.code : null);
  }
  if (status === 0) return new ApiError(0, 'The gateway could not be reached. Check that it is running.');
  return new ApiError(status, `The server answered ${status} without an explanation.`);
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== 'GET') {
    headers[CSRF_HEADER] = csrf;
    headers['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(`${UI_BASE}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw errorMessage(0, null);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: handled below
  }
  if (!res.ok) {
    if (res.status === 401 && path.startsWith('/api/')) window.dispatchEvent(new Event('console:signed-out'));
    throw errorMessage(res.status, json);
  }
  return json as T;
}

/** The admin API (`/admin/v1/...` on the gateway), through the console's session proxy. */
export const admin = {
  get: <T>(path: string) => request<T>('GET', `/api/v1${path}`),
  post: <T>(path: string, body: unknown) => request<T>('POST', `/api/v1${path}`, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', `/api/v1${path}`, body),
  delete: <T>(path: string) => request<T>('DELETE', `/api/v1${path}`),
};

/** The URL of an admin API GET through the proxy, for downloads (the session cookie goes along). */
export const adminHref = (path: string) => `${UI_BASE}/api/v1${path}`;

export interface Page<T> {
  data: T[];
  has_more?: boolean;
  next_before?: number | null;
}
