/** A tiny client for tests that talk to a simulator over real HTTP. */
export interface SimResponse {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly json: any;
}

export const TEST_USER = { name: 'offerload.test', password: 'not-a-real-secret-9f1c' };
/** the environment that makes TEST_USER the simulator's integration user */
export const ENV = { OFFERLOAD_USERNAME: TEST_USER.name, OFFERLOAD_PASSWORD: TEST_USER.password };
/** simulator settings for deterministic tests: no service times, agents only move when told */
export const QUIET = { capacity: { fast: true }, agents: { mode: 'external' as const } };

export const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export async function call(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; auth?: string | null } = {},
): Promise<SimResponse> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    ...init.headers,
  };
  const auth = init.auth === undefined ? basic(TEST_USER.name, TEST_USER.password) : init.auth;
  if (auth !== null) headers.Authorization = auth;
  const body =
    init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const res = await fetch(base + path, { method: init.method ?? 'POST', headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json };
}
