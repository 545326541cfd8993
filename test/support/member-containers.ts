import { NestFactory } from '@nestjs/core';
import { icpCommands, IcpData, IcpError, IcpErrorCode, IcpHandlers, IcpResult } from '@testausdeploy/icp';
import { loadWorkerConfig, WorkerConfig } from '../../apps/worker/src/config/worker-config';
import { ContainerCommands } from '../../apps/worker/src/containers/container-commands';
import { ContainersModule } from '../../apps/worker/src/containers/containers.module';

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
