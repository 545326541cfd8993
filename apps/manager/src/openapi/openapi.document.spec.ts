import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openApiDocument } from './openapi.document';

describe('OpenAPI document', () => {
  const document = openApiDocument('test');

  it('documents the audit filters from the schema that validates them', () => {
    const names = document.paths['/audit'].get.parameters.map((parameter) => parameter.name);
    assert.deepEqual(names, [
      'actor',
      'streamId',
      'type',
      'correlationId',
      'from',
      'to',
      'asOf',
      'order',
      'cursor',
      'limit',
    ]);
    const order = document.paths['/audit'].get.parameters.find((parameter) => parameter.name === 'order');
    assert.deepEqual((order?.schema as { enum: string[] }).enum, ['newest', 'oldest']);
  });

  it('documents the deployment request body with its required fields', () => {
    const body = document.paths['/deployments'].post.requestBody.content['application/json'].schema as {
      required: string[];
      additionalProperties: boolean;
    };
    assert.deepEqual(body.required, ['org', 'repo']);
    assert.equal(body.additionalProperties, false);
  });

  it('documents the node enrolment body from the schema that validates it: a Worker names its Guardian', () => {
    const body = document.paths['/nodes'].post.requestBody.content['application/json'].schema as {
      oneOf: { required: string[]; properties: { kind: { const: string } } }[];
    };
    const required = Object.fromEntries(
      body.oneOf.map((variant) => [variant.properties.kind.const, [...variant.required].sort()]),
    );
    assert.deepEqual(required, {
      worker: ['fingerprint', 'guardian', 'kind', 'name', 'url'],
      guardian: ['fingerprint', 'kind', 'name', 'url'],
    });
    assert.ok(document.paths['/organisations/{org}'].delete);
  });

  it('documents members and their containers from the schemas that validate them', () => {
    const body = document.paths['/containers'].post.requestBody.content['application/json'].schema as {
      required: string[];
    };
    assert.deepEqual(body.required, ['name', 'limits', 'sshKeys']);
    assert.ok(document.paths['/containers/{name}/backups/{backup}/restore'].post);
    assert.ok(document.paths['/members/{name}/token'].post);
  });

  it('requires the bearer token or a session cookie, except on /health and the sign-in', () => {
    assert.deepEqual(document.security, [{ bearer: [] }, { session: [] }]);
    assert.deepEqual(document.paths['/health'].get.security, []);
    assert.deepEqual(document.paths['/session'].post.security, []);
  });
});
