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
/** A path parameter: any string, or what `type` (the schema the route validates it with) allows. */
export function pathParameter(name: string, type?: z.ZodType) {
  return { name, in: 'path', required: true, schema: type ? schema(type) : { type: 'string' } };
}

/** Every refusal's body: the status, a name for the kind of refusal, and the reason (one, or one per field). */
const problemSchema = {
  type: 'object',
  required: ['statusCode', 'message'],
  properties: {
    statusCode: { type: 'integer', minimum: 400, maximum: 599 },
    error: { type: 'string' },
    message: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  },
};
const refusal = (description: string) => ({
  description,
  content: { 'application/json': { schema: problemSchema } },
});
export const problem = refusal('refused, with the reason in `message`');

interface Operation {
  security?: unknown[];
  parameters?: { in: string }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}

/**
 * Adds the answers that come from the API's guards, pipes and filters rather than from one route: 401 and 403
 * (the token guard: no token, or a member on an admins' route or over a quota), 400 where there is input, 404
 * where the path names something, 413 (the body limit) and 503 (the database down).
 */
export function withCommonAnswers<P extends Record<string, Record<string, Operation>>>(paths: P): P {
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      const answers: Record<number, unknown> = { 503: refusal('the database cannot be reached; try again') };
      const secured = operation.security === undefined || operation.security.length > 0;
      if (secured) {
        answers[401] = refusal('no token, or one that is not valid');
        answers[403] = refusal(
          "not for this caller: an admins' route, a change with a read-only token, a role it takes, or over a quota (the reason says)",
        );
      }
      if (operation.parameters?.length || operation.requestBody) answers[400] = problem;
      if (operation.parameters?.some((parameter) => parameter.in === 'path')) {
        answers[404] = refusal("no such resource (also the answer for another member's)");
      }
      if (operation.requestBody) answers[413] = refusal('the body is larger than the API takes');
      operation.responses = { ...answers, ...operation.responses };
    }
  }
  return paths;
}
/** A JSON answer; its schema is what the API sends (dates as ISO strings), from `type` (zod, output side). */
export const json = (description: string, type: z.ZodType) => ({
  description,
  content: { 'application/json': { schema: responseSchema(type) } },
});

export function responseSchema(type: z.ZodType): Schema {
  return z.toJSONSchema(type, { io: 'output', unrepresentable: 'any' }) as Schema;
}

/** A required JSON request body of the given schema. */
export const jsonBody = (type: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema: schema(type) } },
});
