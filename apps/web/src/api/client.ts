import createClient from 'openapi-fetch';
import type { paths } from './generated/schema';

/**
 * The Manager's API, typed from its own OpenAPI document (generated at build time): a call to a route, a method
 * or a body the document does not have does not compile. The session cookie goes along on every request; the
 * browser adds the page's Origin, which the Manager checks on every change made with a cookie.
 */
export const api = createClient<paths>({ credentials: 'same-origin' });

/** A refusal from the API, with its status and the reason it gave. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer, or an ApiError saying the Manager could not be reached. */
export async function reached<A>(call: Promise<A>): Promise<A> {
  try {
    return await call;
  } catch {
    throw new ApiError(0, 'The Manager could not be reached. Check the connection and try again.');
  }
}

/** The answer's body, or an ApiError with the API's reason (`message` of its problem body). */
export async function answer<T>(call: Promise<Answer<T>>): Promise<T> {
  const result = await reached(call);
  if (result.response.ok) return result.data as T;
  throw new ApiError(result.response.status, reason(result.error, result.response));
}

/** The refusal of an answer whose body was not parsed (a stream asked for): its problem body read now. */
export async function refusal(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  return new ApiError(response.status, reason(body, response));
}

function reason(error: unknown, response: Response): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string' && message) return message;
  return `${response.status} ${response.statusText || 'error'}`;
}
