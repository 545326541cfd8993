import { now } from '../measure';

/** Milliseconds from `start` until `http://127.0.0.1:port/` serves `page` (at most 300 s). */
export async function untilServed(port: number, page: string, start: number): Promise<number> {
  for (;;) {
    const body = await fetch(`http://127.0.0.1:${port}/`)
      .then((res) => (res.ok ? res.text() : null))
      .catch(() => null);
    if (body === page) return now() - start;
    if (now() - start > 300_000) throw new Error(`${page} not served within 300 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
