import { Injectable, NestMiddleware } from '@nestjs/common';
import { SERVICE_VERSION } from '@testausdeploy/service';
import { NextFunction, Request, Response } from 'express';
import { DocumentedPaths } from './documented-paths';
import { openApiDocument } from './openapi.document';

/**
 * 405 with `Allow` for a method a documented path does not have (HEAD goes with GET), instead of the router's 404:
 * the resource is there, the method is not. Paths the document does not know go on to the router.
 */
@Injectable()
export class MethodNotAllowedMiddleware implements NestMiddleware {
  private readonly document = openApiDocument(SERVICE_VERSION).paths as Record<string, object>;
  private readonly paths = new DocumentedPaths(Object.keys(this.document));

  use(request: Request, response: Response, next: NextFunction): void {
    // (Mounted as middleware, `request.path` is relative to the mount: the whole path is in originalUrl.)
    const path = request.originalUrl.split('?')[0];
    const templates = this.paths.match(path);
    if (templates.length === 0) return next();
    const methods = templates.flatMap((template) => Object.keys(this.document[template]));
    const allowed = [...new Set(methods.map((method) => method.toUpperCase()))];
    if (allowed.includes('GET')) allowed.push('HEAD');
    if (allowed.includes(request.method)) return next();
    response
      .status(405)
      .setHeader('Allow', allowed.join(', '))
      .json({
        statusCode: 405,
        error: 'MethodNotAllowed',
        message: `${request.method} is not allowed on ${path}: ${allowed.join(', ')} are`,
      });
  }
}
