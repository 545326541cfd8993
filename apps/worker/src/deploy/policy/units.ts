/* The units compose writes limits and times in, read into numbers the policy can compare. */

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `512m`, `1g`, `256M`, `"268435456"`, 1000 as bytes; null if it is not a size. */
export function bytes(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const match = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)b?$/i.exec(value.trim());
  return match ? Number(match[1]) * BYTE_UNITS[match[2].toLowerCase()] : null;
}

/** Docker's way of writing a size: the largest whole unit (`2g`, `512m`). */
export function sizeText(value: number): string {
  for (const unit of ['t', 'g', 'm', 'k']) {
    if (value % BYTE_UNITS[unit] === 0) return `${value / BYTE_UNITS[unit]}${unit}`;
  }
  return String(value);
}

const TIME_UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `10s`, `1m30s`, `1h`, `500ms` as milliseconds; null if it is not a duration. */
export function duration(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : null;
  if (typeof value !== 'string' || !/^(\d+(\.\d+)?(us|ms|s|m|h))+$/.test(value)) return null;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(us|ms|s|m|h)/g)) {
    total += Number(amount) * TIME_UNITS[unit];
  }
  return total;
}

/** `0.5`, `"2"` as a number of CPUs; null if it is not one. */
export function cpus(value: unknown): number | null {
  const number = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : null;
}
