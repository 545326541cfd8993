import { z } from 'zod';

/** What JSON makes of a value of type T: dates become ISO strings. */
export type JsonOf<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? JsonOf<U>[]
    : T extends object
      ? { [K in keyof T]: JsonOf<T[K]> }
      : T;

/**
 * A response schema held to the type it describes: a field the type has and the schema lacks does not compile.
 * The schemas are strict objects, so a field the schema has and the answer lacks (or the reverse) fails the
 * response checks (openapi-responses.int.spec.ts, and schemathesis in test/api-fuzz.e2e-spec.ts).
 */
export const describing =
  <T>() =>
  <S extends z.ZodType<JsonOf<T>>>(schema: S): S =>
    schema;

export const time = z.iso.datetime();
