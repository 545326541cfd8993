import { z } from 'zod';

/**
 * An integer query parameter from `min` to `max`. Query values arrive as text; an empty one (`?limit=`) is
 * refused, not read as 0, so the parameter means what the OpenAPI document (`type: integer`) says.
 */
export const queryInteger = (min: number, max: number) =>
  z.preprocess((value) => (value === '' ? NaN : value), z.coerce.number().int().min(min).max(max));
