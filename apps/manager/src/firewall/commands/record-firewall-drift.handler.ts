import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { GuardianFirewall } from '@testausdeploy/domain';
import { EventRecorder } from '../../events/event-recorder';
import { RecordFirewallDriftCommand } from './record-firewall-drift.command';

/**
 * Records a drift report as an event of the Guardian's firewall stream, in its name. The report's boot and
 * sequence are the command id, so a report sent again (its acknowledgement was lost) is recorded once.
 */
@CommandHandler(RecordFirewallDriftCommand)
export class RecordFirewallDriftHandler implements ICommandHandler<RecordFirewallDriftCommand> {
  constructor(private readonly recorder: EventRecorder) {}

  async execute({ guardian, report, of }: RecordFirewallDriftCommand): Promise<void> {
    const firewall = await this.recorder.load(
      new GuardianFirewall(guardian),
      GuardianFirewall.streamId(guardian),
    );
    const { boot, sequence, detectedAt, differences } = report;
    firewall.recordDrift({ boot, sequence, detectedAt, differences }, of);
    await this.recorder.save(GuardianFirewall.streamId(guardian), firewall, {
      actor: `guardian:${guardian}`,
      correlationId: randomUUID(),
      causationId: null,
      commandId: `${of === 'proxy' ? 'proxy-drift' : 'drift'}:${guardian}:${boot}:${sequence}`,
    });
  }
}
