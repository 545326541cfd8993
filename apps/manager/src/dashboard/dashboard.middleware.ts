import { Injectable, Logger, NestMiddleware } from '@nestjs/common';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { join } from 'node:path';
import { ManagerConfig } from '../config/manager-config';
import { DASHBOARD_PATH, dashboardBuilt } from './dashboard-files';

/**
 * Serves the dashboard's built files under /ui: hashed assets for a year, and for every other path under /ui
 * the page itself (`index.html`, never cached), whose router draws the page that path names. `/` leads there.
 * Only GET and HEAD: any other method under /ui goes on to the router, which has no such route.
 */
@Injectable()
export class DashboardMiddleware implements NestMiddleware {
  private readonly files: ReturnType<typeof express.static>;
  private readonly index: string;
  private readonly built: boolean;

  constructor(config: ManagerConfig) {
    this.built = dashboardBuilt(config.DASHBOARD_DIR);
    if (!this.built) {
      new Logger('Dashboard').warn(`no dashboard in ${config.DASHBOARD_DIR}: run \`npm run build\``);
    }
    this.index = join(config.DASHBOARD_DIR, 'index.html');
    this.files = express.static(config.DASHBOARD_DIR, {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      fallthrough: true,
      setHeaders: (response, path) =>
        response.setHeader(
          'Cache-Control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        ),
    });
  }

  use(request: Request, response: Response, next: NextFunction): void {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const path = request.originalUrl.split('?')[0];
    if (path === '/' || path === DASHBOARD_PATH) return response.redirect(302, `${DASHBOARD_PATH}/`);
    if (!path.startsWith(`${DASHBOARD_PATH}/`)) return next();
    if (!this.built) {
      response.status(503).type('text/plain').send('The dashboard is not built: run `npm run build`.\n');
      return;
    }
    request.url = path.slice(DASHBOARD_PATH.length);
    this.files(request, response, () => {
      if (request.url.startsWith('/assets/')) {
        response.status(404).type('text/plain').send('no such file\n');
        return;
      }
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(this.index);
    });
  }
}
