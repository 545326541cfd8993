import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '@testausdeploy/domain';
import { ConcurrencyError, RebuildInProgressError, WriterBusyError } from '@testausdeploy/events';

const STATUS: Record<DomainError['kind'], number> = {
  invalid: HttpStatus.BAD_REQUEST,
  forbidden: HttpStatus.FORBIDDEN,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

/** Errors of the event log that mean "try again", not "the server broke". */
const RETRYABLE = [ConcurrencyError, RebuildInProgressError, WriterBusyError];

/** The one place where domain refusals become HTTP answers: a status and the reason the user can act on. */
@Catch(DomainError, ...RETRYABLE)
export class DomainErrorFilter implements ExceptionFilter {
  catch(error: Error, host: ArgumentsHost): void {
    const status = error instanceof DomainError ? STATUS[error.kind] : HttpStatus.CONFLICT;
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(status)
      .json({ statusCode: status, error: error.constructor.name, message: error.message });
  }
}
