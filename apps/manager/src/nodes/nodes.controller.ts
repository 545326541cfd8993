import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Actor } from '../auth/actor.decorator';
import { ZodBody } from '../http/zod-body.pipe';
import { ChangeNodePlacementCommand } from './commands/change-node-placement.command';
import { EnrolNodeCommand } from './commands/enrol-node.command';
import { RemoveNodeCommand } from './commands/remove-node.command';
import { RotateNodeKeyCommand } from './commands/rotate-node-key.command';
import {
  EnrolNodeBody,
  enrolNodeBody,
  NodeDrainingBody,
  nodeDrainingBody,
  NodeLabelsBody,
  nodeLabelsBody,
  RotateNodeKeyBody,
  rotateNodeKeyBody,
} from './dto/node.dto';
import { GetNodeQuery } from './queries/get-node.query';
import { ListNodesQuery } from './queries/list-nodes.query';

/**
 * The registry of Workers and Guardians: enrolling, re-keying, labelling, draining and removing them are recorded
 * events.
 */
@Controller('nodes')
export class NodesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  enrol(@Body(new ZodBody(enrolNodeBody)) body: EnrolNodeBody, @Actor() actor: string) {
    return this.commands.execute(new EnrolNodeCommand(body, actor));
  }

  @Get()
  list() {
    return this.queries.execute(new ListNodesQuery());
  }

  @Get(':name')
  get(@Param('name') name: string) {
    return this.queries.execute(new GetNodeQuery(name));
  }

  @Put(':name/fingerprint')
  rotateKey(
    @Param('name') name: string,
    @Body(new ZodBody(rotateNodeKeyBody)) { fingerprint }: RotateNodeKeyBody,
    @Actor() actor: string,
  ) {
    return this.commands.execute(new RotateNodeKeyCommand(name, fingerprint, actor));
  }

  /** Sets the Worker's labels, all of them: what placement matches (docs/scaling.md). */
  @Put(':name/labels')
  label(
    @Param('name') name: string,
    @Body(new ZodBody(nodeLabelsBody)) { labels }: NodeLabelsBody,
    @Actor() actor: string,
  ) {
    return this.commands.execute(new ChangeNodePlacementCommand(name, { labels }, actor));
  }

  /** A drained Worker takes nothing new; what runs on it stays until moved or removed. */
  @Put(':name/draining')
  drain(
    @Param('name') name: string,
    @Body(new ZodBody(nodeDrainingBody)) { draining }: NodeDrainingBody,
    @Actor() actor: string,
  ) {
    return this.commands.execute(new ChangeNodePlacementCommand(name, { draining }, actor));
  }

  @Delete(':name')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(@Param('name') name: string, @Actor() actor: string): Promise<void> {
    await this.commands.execute(new RemoveNodeCommand(name, actor));
  }
}
