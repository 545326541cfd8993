import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { H2Database } from '../../../../test/support/h2-database';
import { auth, ManagerApp } from '../../../../test/support/manager-app';

const PASSWORD = 'correct-horse-battery-staple-7f3a';

describe('the Manager on a database that asks for a user and password (SCRAM-SHA-256)', () => {
  let dir: string;
  let database: H2Database;
  let passwordFile: string;
  const url = () => `${database.url}/testausdeploy`;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'database-auth-'));
    passwordFile = join(dir, 'mongo-password');
    await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    database = await H2Database.start(join(dir, 'manager.mv'), { user: 'manager', passwordFile });
  });
  after(async () => {
    await database.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts with MONGO_USER and MONGO_PASSWORD_FILE and records events', async () => {
    const manager = await ManagerApp.start('auth', {
      MONGO_URL: url(),
      MONGO_USER: 'manager',
      MONGO_PASSWORD_FILE: passwordFile,
    });
    try {
      await manager.http().post('/members').set(auth).send({ name: 'alice' }).expect(201);
      const verify = await manager.http().get('/audit/verify').set(auth).expect(200);
      assert.equal(verify.body.ok, true);
    } finally {
      await manager.stop();
    }
  });

  it('is refused without credentials: the server really asks for them', async () => {
    await assert.rejects(ManagerApp.start('auth', { MONGO_URL: url() }), /requires authentication/);
  });

  it('fails to start with a wrong password, without writing the password anywhere', async () => {
    const wrong = join(dir, 'wrong-password');
    await writeFile(wrong, 'not-the-password-at-all');
    await assert.rejects(
      ManagerApp.start('auth', { MONGO_URL: url(), MONGO_USER: 'manager', MONGO_PASSWORD_FILE: wrong }),
      (error: Error) => {
        assert.match(error.message, /Authentication failed/);
        assert.doesNotMatch(`${error.message}${error.stack}`, /not-the-password-at-all/);
        return true;
      },
    );
  });

  it('says what is missing when the settings are half given', async () => {
    await assert.rejects(
      ManagerApp.start('auth', { MONGO_URL: url(), MONGO_USER: 'manager' }),
      /MONGO_USER and MONGO_PASSWORD_FILE go together/,
    );
    await assert.rejects(
      ManagerApp.start('auth', {
        MONGO_URL: url(),
        MONGO_USER: 'manager',
        MONGO_PASSWORD_FILE: join(dir, 'absent'),
      }),
      /MONGO_PASSWORD_FILE .*absent cannot be read \(ENOENT\)/,
    );
  });
});
