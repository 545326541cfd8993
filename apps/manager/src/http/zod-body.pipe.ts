import { BadRequestException, PipeTransform } from '@nestjs/common';
import { z } from 'zod';

/**
 * Validates a request body (or query, or header) at the edge; the 400 names every field that is wrong, and
 * `subject` what a value without fields was (`body`, `Idempotency-Key header`).
 */
export class ZodBody<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly subject = 'body',
  ) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value);
    if (!result.success) {
      throw new BadRequestException(
        result.error.issues.map((issue) => `${issue.path.join('.') || this.subject}: ${issue.message}`),
      );
    }
    return result.data;
  }
}
