import { readFile } from 'node:fs/promises';
import { ManagerConfig } from '../config/manager-config';

/**
 * The user and password the Manager gives the database, from MONGO_USER and the file MONGO_PASSWORD_FILE names
 * (none: the database asks for none). The password is never put in the URL, the environment or an error.
 */
export async function databaseCredentials(
  config: Pick<ManagerConfig, 'MONGO_USER' | 'MONGO_PASSWORD_FILE' | 'MONGO_URL'>,
): Promise<{ auth: { username: string; password: string } } | object> {
  const { MONGO_USER: username, MONGO_PASSWORD_FILE: file } = config;
  if (username === undefined && file === undefined) return {};
  if (username === undefined || file === undefined)
    throw new Error('MONGO_USER and MONGO_PASSWORD_FILE go together: set both, or neither');
  if (/^mongodb(\+srv)?:\/\/[^/]*@/.test(config.MONGO_URL))
    throw new Error('MONGO_URL names a user too: leave credentials out of it when MONGO_USER is set');
  const password = await readFile(file, 'utf8').then(
    (text) => text.replace(/\r?\n$/, ''),
    (error: NodeJS.ErrnoException) => {
      throw new Error(`MONGO_PASSWORD_FILE ${file} cannot be read (${error.code ?? error.message})`);
    },
  );
  if (password.length === 0) throw new Error(`MONGO_PASSWORD_FILE ${file} is empty`);
  return { auth: { username, password } };
}
