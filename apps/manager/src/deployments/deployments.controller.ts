import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { Forbidden } from '@testausdeploy/domain';
import { Caller, CurrentCaller } from '../auth/caller';
import { ForMembers } from '../auth/for-members.decorator';
import { MemberDeploys } from '../projects/member-deploys';
import { ProjectAccess } from '../projects/project-access';
import { AsOfResolver } from '../audit/as-of.resolver';
import { ZodBody } from '../http/zod-body.pipe';
import { BuildLogs } from './build-logs';
import { streamLines } from './line-stream';
import { ProjectLogs } from './project-logs';
import { SourceLocks } from './source-locks';
import { ChangeLifecycleCommand } from './commands/change-lifecycle.command';
import { RedeployCommand } from './commands/redeploy.command';
import { RequestDeploymentCommand } from './commands/request-deployment.command';
import { RollbackDeploymentCommand } from './commands/rollback-deployment.command';
import {
  idempotencyKey,
  listDeploymentsQuery,
  ListDeploymentsParams,
  removeDeploymentQuery,
  RemoveDeploymentParams,
  RequestDeploymentBody,
  requestDeploymentBody,
} from './dto/request-deployment.dto';
import { Stopping } from '../http/stopping';
import { containerLogsQuery, ContainerLogsParams } from './dto/container-logs.dto';
import { GetContainerUsageQuery } from './queries/get-container-usage.query';
import { ListDeploymentsQuery } from './queries/list-deployments.query';

/**
 * Deployments, for admins and for the members of each project: a viewer reads, a maintainer acts; a deployment
 * of a project the caller holds no role on answers as one that does not exist.
 */
@Controller('deployments')
@ForMembers()
export class DeploymentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly asOf: AsOfResolver,
    private readonly buildLogs: BuildLogs,
    private readonly sourceLocks: SourceLocks,
    private readonly projectLogs: ProjectLogs,
    private readonly stopping: Stopping,
    private readonly access: ProjectAccess,
    private readonly memberDeploys: MemberDeploys,
  ) {}

  /** Accepted, not done: the deployment runs on the Worker; poll `GET /deployments/:id` for the outcome. */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  async request(
    @Body(new ZodBody(requestDeploymentBody)) body: RequestDeploymentBody,
    @Headers('idempotency-key') header: string | undefined,
    @CurrentCaller() caller: Caller,
  ) {
    const key = new ZodBody(idempotencyKey, 'Idempotency-Key header').transform(header);
    const { node, labels, ...source } = body;
    if (node !== undefined && caller.role !== 'admin') throw new Forbidden('only an admin can name the node');
    await this.memberDeploys.authorise(caller, source);
    // Each caller's keys are their own: another's same key must not answer with their deployment.
    const commandId = key === undefined ? null : `${caller.actor} ${key}`;
    return this.commands.execute(
      new RequestDeploymentCommand(source, caller.actor, commandId, { node, labels }),
    );
  }

  @Get()
  async list(
    @Query(new ZodBody(listDeploymentsQuery)) { limit, offset, asOf }: ListDeploymentsParams,
    @CurrentCaller() caller: Caller,
  ) {
    const position = asOf === undefined ? undefined : await this.asOf.position(asOf);
    const projects = await this.access.projectsOf(caller);
    return this.queries.execute(new ListDeploymentsQuery(limit, offset, position, projects));
  }

  /** The repositories being deployed right now: which deployment, whose, since when, which commit. */
  @Get('locks')
  async locks(@CurrentCaller() caller: Caller) {
    const projects = await this.access.projectsOf(caller);
    const visible = (org: string, repo: string) =>
      projects === null || projects.some((one) => one.org === org && one.repo === repo);
    return this.sourceLocks.all().filter(({ org, repo }) => visible(org, repo));
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentCaller() caller: Caller) {
    return this.access.deployment(caller, id, 'viewer');
  }

  /** Deploys this deployment's source again (its branch head, pulled and rebuilt) as a new attempt; 202. */
  @Post(':id/redeploy')
  @HttpCode(HttpStatus.ACCEPTED)
  async redeploy(@Param('id', new ParseUUIDPipe()) id: string, @CurrentCaller() caller: Caller) {
    await this.access.deployment(caller, id, 'maintainer');
    return this.commands.execute(new RedeployCommand(id, caller.actor));
  }

  /** Restores this attempt's commit and compose file as a new attempt; 202 with its `deploymentId`. */
  @Post(':id/rollback')
  @HttpCode(HttpStatus.ACCEPTED)
  async rollback(@Param('id', new ParseUUIDPipe()) id: string, @CurrentCaller() caller: Caller) {
    await this.access.deployment(caller, id, 'maintainer');
    return this.commands.execute(new RollbackDeploymentCommand(id, caller.actor));
  }

  /** The project's containers as they are now: state, restarts, CPU and memory, as the Worker's dockerd sees them. */
  @Get(':id/containers')
  async containers(@Param('id', new ParseUUIDPipe()) id: string, @CurrentCaller() caller: Caller) {
    await this.access.deployment(caller, id, 'viewer');
    return this.queries.execute(new GetContainerUsageQuery(id));
  }

  /**
   * The containers' output, each line `<service> | <text>`: `{ lines }`, or with `follow=true` a `text/plain`
   * stream until the client disconnects (which stops the reading on the Worker). 409 unless deployed.
   */
  @Get(':id/containers/logs')
  async containerLogs(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query(new ZodBody(containerLogsQuery)) params: ContainerLogsParams,
    @Res() res: Response,
    @CurrentCaller() caller: Caller,
  ): Promise<void> {
    await this.access.deployment(caller, id, 'viewer');
    if (params.follow) this.stopping.refuseLastingAnswer(res);
    const read = await this.projectLogs.open(id, params);
    if (params.follow) return streamLines(res, read, this.stopping.signal);
    const lines: string[] = [];
    await read((line) => lines.push(line));
    res.json({ lines });
  }

  /** The attempt's git and compose output: `{ lines, truncated, running }`. */
  @Get(':id/logs')
  async logs(@Param('id', new ParseUUIDPipe()) id: string, @CurrentCaller() caller: Caller) {
    await this.access.deployment(caller, id, 'viewer');
    return (await this.buildLogs.read(id)) ?? { lines: [], truncated: false, running: false };
  }

  /** Stops the deployed project's containers; 409 when the deployment's status does not allow it. */
  @Post(':id/stop')
  @HttpCode(HttpStatus.OK)
  async stop(@Param('id', new ParseUUIDPipe()) id: string, @CurrentCaller() caller: Caller) {
    await this.access.deployment(caller, id, 'maintainer');
    return this.commands.execute(new ChangeLifecycleCommand(id, 'stop', caller.actor));
  }

  @Post(':id/start')
  @HttpCode(HttpStatus.OK)
  async start(@Param('id', new ParseUUIDPipe()) id: string, @CurrentCaller() caller: Caller) {
    await this.access.deployment(caller, id, 'maintainer');
    return this.commands.execute(new ChangeLifecycleCommand(id, 'start', caller.actor));
  }

  @Post(':id/restart')
  @HttpCode(HttpStatus.OK)
  async restart(@Param('id', new ParseUUIDPipe()) id: string, @CurrentCaller() caller: Caller) {
    await this.access.deployment(caller, id, 'maintainer');
    return this.commands.execute(new ChangeLifecycleCommand(id, 'restart', caller.actor));
  }

  /** Removes the deployed project: containers, networks, built images, and volumes with `?volumes=true`. */
  @Delete(':id')
  async remove(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query(new ZodBody(removeDeploymentQuery)) { volumes }: RemoveDeploymentParams,
    @CurrentCaller() caller: Caller,
  ) {
    await this.access.deployment(caller, id, 'maintainer');
    return this.commands.execute(new ChangeLifecycleCommand(id, 'remove', caller.actor, volumes));
  }
}
