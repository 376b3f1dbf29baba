/**
 * A REST client for integration tests: calls `base` as a caller whose bearer token `issue` signs
 * (tokens are kept per caller), or anonymously with `null`. Bodies are parsed as JSON when they are.
 */
export function apiClient<Who>(base: string, issue: (who: Who) => Promise<string>) {
  const tokens = new Map<string, string>();

  async function authHeader(who: Who): Promise<string> {
    const key = JSON.stringify(who);
    let token = tokens.get(key);
    if (token === undefined) {
      token = await issue(who);
      tokens.set(key, token);
    }
    return `Bearer ${token}`;
  }

  async function call(who: Who | null, method: string, path: string, body?: unknown) {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (who !== null) headers.authorization = await authHeader(who);
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {}
    return {
      status: res.status,
      body: json as any,
      headers: Object.fromEntries(res.headers) as Record<string, string>,
    };
  }

  return { authHeader, call };
}
