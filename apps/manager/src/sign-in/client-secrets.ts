import { Injectable, OnModuleInit } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { ManagerConfig } from '../config/manager-config';

/**
 * The OAuth and OIDC client secrets, read from their files when the Manager starts: kept out of the environment
 * and the log. A configured provider whose secret cannot be read stops the start with the reason.
 */
@Injectable()
export class ClientSecrets implements OnModuleInit {
  github: string | null = null;
  oidc: string | null = null;

  constructor(private readonly config: ManagerConfig) {}

  async onModuleInit(): Promise<void> {
    const {
      GITHUB_CLIENT_ID,
      GITHUB_CLIENT_SECRET_FILE,
      OIDC_ISSUER,
      OIDC_CLIENT_ID,
      OIDC_CLIENT_SECRET_FILE,
    } = this.config;
    this.github = await secret('GITHUB', GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET_FILE);
    this.oidc = await secret('OIDC', OIDC_CLIENT_ID, OIDC_CLIENT_SECRET_FILE);
    if ((this.oidc === null) !== !OIDC_ISSUER) {
      throw new Error(
        'OIDC_ISSUER goes with OIDC_CLIENT_ID and OIDC_CLIENT_SECRET_FILE: set all three, or none',
      );
    }
  }
}

async function secret(
  prefix: string,
  clientId: string | undefined,
  file: string | undefined,
): Promise<string | null> {
  if (!clientId && !file) return null;
  if (!clientId || !file) {
    throw new Error(`${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET_FILE go together: set both, or neither`);
  }
  const value = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    (error: NodeJS.ErrnoException) => {
      throw new Error(`${prefix}_CLIENT_SECRET_FILE ${file} cannot be read (${error.code ?? error.message})`);
    },
  );
  if (!value) throw new Error(`${prefix}_CLIENT_SECRET_FILE ${file} is empty`);
  return value;
}
