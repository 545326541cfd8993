import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Actor } from '../auth/actor.decorator';
import { AsOfResolver } from '../audit/as-of.resolver';
import { ZodBody } from '../http/zod-body.pipe';
import { RequestDeploymentCommand } from './commands/request-deployment.command';
import {
  idempotencyKey,
  listDeploymentsQuery,
  ListDeploymentsParams,
  RequestDeploymentBody,
  requestDeploymentBody,
} from './dto/request-deployment.dto';
import { GetDeploymentQuery } from './queries/get-deployment.query';
import { ListDeploymentsQuery } from './queries/list-deployments.query';

@Controller('deployments')
export class DeploymentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly asOf: AsOfResolver,
  ) {}

  /** Accepted, not done: the deployment runs on the Worker; poll `GET /deployments/:id` for the outcome. */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  request(
    @Body(new ZodBody(requestDeploymentBody)) body: RequestDeploymentBody,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: string,
  ) {
    const commandId = new ZodBody(idempotencyKey).transform(key) ?? null;
    return this.commands.execute(new RequestDeploymentCommand(body, actor, commandId));
  }

  @Get()
  async list(@Query(new ZodBody(listDeploymentsQuery)) { limit, asOf }: ListDeploymentsParams) {
    const position = asOf === undefined ? undefined : await this.asOf.position(asOf);
    return this.queries.execute(new ListDeploymentsQuery(limit, position));
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.queries.execute(new GetDeploymentQuery(id));
  }
}
