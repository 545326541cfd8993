import { z } from 'zod';

type Schema = Record<string, unknown>;

/** JSON Schema of what a client sends (before defaults and transforms apply). */
export function schema(type: z.ZodType): Schema {
  return z.toJSONSchema(type, { io: 'input', unrepresentable: 'any' }) as Schema;
}

export function queryParameters(query: z.ZodObject) {
  return Object.entries(query.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: false,
    schema: schema(field as z.ZodType),
  }));
}

/** A required path parameter of type string. */
export function pathParameter(name: string) {
  return { name, in: 'path', required: true, schema: { type: 'string' } };
}

export const problem = {
  description: 'refused, with the reason in `message`',
  content: { 'application/json': {} },
};
export const json = (description: string) => ({ description, content: { 'application/json': {} } });

/** A required JSON request body of the given schema. */
export const jsonBody = (type: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema: schema(type) } },
});
