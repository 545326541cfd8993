/** A request the domain refuses; the message tells the user what to change. Mapped to HTTP in one filter. */
export abstract class DomainError extends Error {
  abstract readonly kind: 'invalid' | 'forbidden' | 'not-found' | 'conflict' | 'unavailable';
}

export class InvalidInput extends DomainError {
  readonly kind = 'invalid';
}

export class Forbidden extends DomainError {
  readonly kind = 'forbidden';
}

export class NotFound extends DomainError {
  readonly kind = 'not-found';
}

export class Conflict extends DomainError {
  readonly kind = 'conflict';
}

/** A node the request needs could not do it (not connected, timed out, or its command failed). */
export class Unavailable extends DomainError {
  readonly kind = 'unavailable';
}
