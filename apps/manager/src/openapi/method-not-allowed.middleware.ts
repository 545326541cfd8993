import { Injectable, NestMiddleware } from '@nestjs/common';
import { SERVICE_VERSION } from '@testausdeploy/service';
import { NextFunction, Request, Response } from 'express';
import { openApiDocument } from './openapi.document';

interface DocumentedPath {
  pattern: RegExp;
  /** How many segments are parameters: `/deployments/locks` (0) is the path, not `/deployments/{id}` (1). */
  parameters: number;
  methods: string[];
}

/** Each documented path as a pattern (`{name}` one segment), with its methods. */
function documentedPaths(): DocumentedPath[] {
  return Object.entries(openApiDocument(SERVICE_VERSION).paths).map(([path, operations]) => ({
    pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
    parameters: path.split('{').length - 1,
    methods: Object.keys(operations).map((method) => method.toUpperCase()),
  }));
}

/**
 * 405 with `Allow` for a method a documented path does not have (HEAD goes with GET), instead of the router's 404:
 * the resource is there, the method is not. Paths the document does not know go on to the router.
 */
@Injectable()
export class MethodNotAllowedMiddleware implements NestMiddleware {
  private readonly paths = documentedPaths();

  use(request: Request, response: Response, next: NextFunction): void {
    // (Mounted as middleware, `request.path` is relative to the mount: the whole path is in originalUrl.)
    const path = request.originalUrl.split('?')[0];
    const candidates = this.paths.filter(({ pattern }) => pattern.test(path));
    if (candidates.length === 0) return next();
    const fewest = Math.min(...candidates.map(({ parameters }) => parameters));
    const matching = candidates.filter(({ parameters }) => parameters === fewest);
    const allowed = [...new Set(matching.flatMap(({ methods }) => methods))];
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
