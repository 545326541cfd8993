import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/public.decorator';
import { NodeConnections } from '../nodes/node-connections';

@Controller('health')
export class HealthController {
  constructor(private readonly nodes: NodeConnections) {}

  /** Liveness for scripts and load balancers; says whether some Worker's and some Guardian's session is up. */
  @Public()
  @Get()
  health() {
    return {
      status: 'ok',
      worker: this.nodes.anyConnected('worker'),
      guardian: this.nodes.anyConnected('guardian'),
    };
  }
}
