import { z } from 'zod';

/** A yes-or-no query parameter: `true` or `false` as text, `false` when left out. */
export const queryFlag = () =>
  z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true');
