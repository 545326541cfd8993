import { z } from 'zod';

/**
 * An integer query parameter from `min` to `max`. Query values arrive as text; only digits (with a leading `-`)
 * are read as a number, so an empty or blank one (`?limit=`, `?asOf=%0A`) is refused, not read as 0, and the
 * parameter means what the OpenAPI document (`type: integer`) says.
 */
export const queryInteger = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && !/^-?\d+$/.test(value) ? NaN : value),
    z.coerce.number().int().min(min).max(max),
  );
