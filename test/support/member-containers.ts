import { NestFactory } from '@nestjs/core';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { icpCommands, IcpData, IcpError, IcpErrorCode, IcpHandlers, IcpResult } from '@testausdeploy/icp';
import { loadWorkerConfig, WorkerConfig } from '../../apps/worker/src/config/worker-config';
import { ContainerCommands } from '../../apps/worker/src/containers/container-commands';
import { ContainersModule } from '../../apps/worker/src/containers/containers.module';

const run = promisify(execFile);

type ContainerCommand = keyof ReturnType<ContainerCommands['handlers']> & keyof typeof icpCommands;

/**
 * The Worker's container commands in this process, wired by Nest as in the Worker, with data and results
 * checked against the ICP schemas as the dispatcher and the Manager's client check them.
 */
export class ContainerCommandsUnderTest {
  private constructor(
    private readonly handlers: IcpHandlers,
    private readonly close: () => Promise<void>,
  ) {}

  static async start(env: NodeJS.ProcessEnv): Promise<ContainerCommandsUnderTest> {
    const config = loadWorkerConfig(
      { host: '127.0.0.1', port: 0, stateDir: '/nonexistent', trustFile: '/nonexistent', logLevel: 'silent' },
      env,
    );
    const app = await NestFactory.createApplicationContext(
      {
        module: class ContainersUnderTest {},
        imports: [
          {
            module: class TestConfig {},
            global: true,
            providers: [{ provide: WorkerConfig, useValue: config }],
            exports: [WorkerConfig],
          },
          ContainersModule,
        ],
      },
      { logger: false },
    );
    return new ContainerCommandsUnderTest(app.get(ContainerCommands).handlers(), () => app.close());
  }

  /** Runs a command like the dispatcher: invalid data is refused with `invalid_data` before any handler. */
  async call<C extends ContainerCommand>(
    command: C,
    data: IcpData<C>,
    progress: (line: string) => void = () => undefined,
  ): Promise<IcpResult<C>> {
    const parsed = icpCommands[command].data.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new IcpError(IcpErrorCode.InvalidData, `${issue.path.join('.')}: ${issue.message}`);
    }
    const handler = this.handlers[command] as (d: unknown, c: unknown) => Promise<unknown>;
    const result = await handler(parsed.data, { progress });
    return icpCommands[command].result.parse(result) as IcpResult<C>;
  }

  stop(): Promise<void> {
    return this.close();
  }
}

/** A fresh ed25519 key pair in `dir`; returns the private key's path and the public key's line. */
export async function sshKeyPair(dir: string, name: string): Promise<{ key: string; publicKey: string }> {
  const key = path.join(dir, name);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key]);
  return { key, publicKey: (await fs.readFile(`${key}.pub`, 'utf8')).trim() };
}

/** Runs `command` over SSH as `user` on 127.0.0.1:port with only `key`; resolves with stdout. */
export async function ssh(key: string, port: number, user: string, command: string): Promise<string> {
  const { stdout } = await run(
    'ssh',
    [
      '-i',
      key,
      '-p',
      String(port),
      '-o',
      'StrictHostKeyChecking=no',
      '-o',
      'UserKnownHostsFile=/dev/null',
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'PasswordAuthentication=no',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=10',
      '-o',
      'LogLevel=ERROR',
      `${user}@127.0.0.1`,
      command,
    ],
    { timeout: 30_000 },
  );
  return stdout;
}
