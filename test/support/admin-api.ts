/** Raw calls to a local stack's API with the admin token, for fields the Svix SDK does not know. */
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

export type AdminApi = (method: string, path: string, body?: unknown) => Promise<ApiAnswer>;

/** `path` is relative to /api/v1/, e.g. `app/app_1/endpoint`. */
export function adminApi(stack: () => { url: string; adminToken: string }): AdminApi {
  return async (method, path, body) => {
    const { url, adminToken } = stack();
    const res = await fetch(`${url}/api/v1/${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  };
}
