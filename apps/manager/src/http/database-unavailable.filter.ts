import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

/**
 * The database cannot be reached (down, restarting, the network to it cut): 503 with a reason and a hint,
 * not a 500. Its address and the driver's words go to the log, not to the caller.
 */
@Catch(MongoNetworkError, MongoServerSelectionError, MongoNotConnectedError, MongoTopologyClosedError)
export class DatabaseUnavailableFilter implements ExceptionFilter {
  private readonly logger = new Logger(DatabaseUnavailableFilter.name);

  catch(error: Error, host: ArgumentsHost): void {
    this.logger.warn(`the database cannot be reached: ${error.message}`);
    const status = HttpStatus.SERVICE_UNAVAILABLE;
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(status)
      .json({
        statusCode: status,
        error: 'DatabaseUnavailable',
        message:
          'the database cannot be reached; try again in a moment (what was answered before is kept, ' +
          'and a change that got this answer may or may not have been recorded)',
      });
  }
}
