import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpStatus, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { SERVICE_VERSION } from '@testausdeploy/service';
import { auth, ManagerApp } from '../../../../test/support/manager-app';
import { DASHBOARD_PATH } from '../dashboard/dashboard-files';
import { openApiDocument } from './openapi.document';

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

describe('the OpenAPI document and the routes the Manager serves', () => {
  let manager: ManagerApp;
  before(async () => (manager = await ManagerApp.start('openapi-routes')));
  after(() => manager.stop());

  it('documents every route with its method, and no route that is not there', () => {
    const express = manager.app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } };
    const served = express.router.stack
      // (`{/*splat}`: the middleware's and the not-found handler's catch-alls.)
      .flatMap(({ route }) =>
        route && !route.path.includes('*')
          ? Object.keys(route.methods).map(
              (method) => `${method.toUpperCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`,
            )
          : [],
      )
      .filter((route) => route !== 'GET /openapi.json')
      .sort();
    const documented = Object.entries(openApiDocument(SERVICE_VERSION).paths)
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort();
    assert.deepEqual(served, documented);
    const clashing = served.filter((route) => route.split(' ')[1].split('/')[1] === DASHBOARD_PATH.slice(1));
    assert.deepEqual(clashing, [], `no API route under the dashboard's ${DASHBOARD_PATH}`);
  });

  it('documents the status each route answers with on success or redirect (201 for a POST unless it says otherwise)', () => {
    const document = openApiDocument(SERVICE_VERSION).paths as Record<
      string,
      Record<string, { responses: Record<string, unknown> }>
    >;
    const join = (...parts: string[]) =>
      `/${parts
        .flatMap((part) => part.split('/'))
        .filter(Boolean)
        .join('/')}`.replace(/:(\w+)/g, '{$1}');
    const answered: string[] = [];
    const documented: string[] = [];
    for (const module of manager.app.get(ModulesContainer).values()) {
      for (const { metatype } of module.controllers.values()) {
        if (!metatype) continue;
        const prefix: string = Reflect.getMetadata(PATH_METADATA, metatype) ?? '';
        for (const key of Object.getOwnPropertyNames(metatype.prototype)) {
          const handler = metatype.prototype[key];
          const method: RequestMethod | undefined = Reflect.getMetadata(METHOD_METADATA, handler);
          if (method === undefined || typeof handler !== 'function') continue;
          const path = join(prefix, Reflect.getMetadata(PATH_METADATA, handler) ?? '');
          if (path === '/openapi.json') continue;
          const verb = RequestMethod[method].toLowerCase();
          const status =
            Reflect.getMetadata(HTTP_CODE_METADATA, handler) ??
            (method === RequestMethod.POST ? HttpStatus.CREATED : HttpStatus.OK);
          answered.push(`${verb} ${path} ${status}`);
          const success = Object.keys(document[path]?.[verb]?.responses ?? {}).filter((code) => code < '400');
          documented.push(`${verb} ${path} ${success.join(',')}`);
        }
      }
    }
    assert.ok(answered.length > 50);
    assert.deepEqual(documented.sort(), answered.sort());
  });

  it('answers 405 with Allow for a method a path does not have, before asking for a token', async () => {
    const res = await manager.http().trace('/deployments');
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, 'POST, GET, HEAD');
    const named = await manager.http().patch('/containers/box').set(auth);
    assert.equal(named.status, 405);
    assert.match(named.body.message, /PATCH is not allowed on \/containers\/box: GET, DELETE, HEAD are/);
    await manager.http().get('/no-such-path').set(auth).expect(404);
    // The path itself, not the route with a parameter that would match it too (`/deployments/{id}`).
    assert.equal((await manager.http().options('/deployments/locks')).headers.allow, 'GET, HEAD');
  });
});
