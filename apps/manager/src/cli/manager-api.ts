import { ManagerConfig } from '../config/manager-config';

/**
 * Calls the running Manager's REST API as the admin (for the command-line subcommands, which act through the
 * live process so that it records the events and updates its state). Resolves with status and parsed body.
 */
export async function callManager(
  config: ManagerConfig,
  method: string,
  path: string,
  body?: object,
): Promise<{ status: number; body: unknown }> {
  const host = config.MANAGER_HOST === '0.0.0.0' ? '127.0.0.1' : config.MANAGER_HOST;
  const res = await fetch(`http://${host}:${config.MANAGER_PORT}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${config.ADMIN_TOKEN}`,
      ...(body && { 'Content-Type': 'application/json' }),
    },
    body: body && JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text for the error message
  }
  return { status: res.status, body: parsed };
}

/** Throws with the API's answer unless the status is one of `ok`. */
export function expectStatus(answer: { status: number; body: unknown }, what: string, ...ok: number[]): void {
  if (!ok.includes(answer.status)) {
    throw new Error(`${what} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}
