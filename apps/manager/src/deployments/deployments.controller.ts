import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Actor } from '../auth/actor.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { RequestDeploymentCommand } from './commands/request-deployment.command';
import {
  listDeploymentsQuery,
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
  ) {}

  /** Accepted, not done: the deployment runs on the Worker; poll `GET /deployments/:id` for the outcome. */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  request(@Body(new ZodBody(requestDeploymentBody)) body: RequestDeploymentBody, @Actor() actor: string) {
    return this.commands.execute(new RequestDeploymentCommand(body, actor));
  }

  @Get()
  list(@Query(new ZodBody(listDeploymentsQuery)) { limit }: { limit: number }) {
    return this.queries.execute(new ListDeploymentsQuery(limit));
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.queries.execute(new GetDeploymentQuery(id));
  }
}
