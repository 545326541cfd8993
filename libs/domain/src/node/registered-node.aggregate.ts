import { AggregateRoot } from '../aggregate-root';
import { Conflict, NotFound } from '../errors';
import { NodeEnrolment, NodeEnrolmentProps, normaliseFingerprint } from './node-enrolment';
import { NodeEvent } from './node.events';

/**
 * A Worker or Guardian in the Manager's registry, one stream per name. A removed node's name can be enrolled
 * again: its stream goes on, so its whole history stays in one place.
 */
export class RegisteredNode extends AggregateRoot<NodeEvent> {
  private state: NodeEnrolmentProps | null = null;

  constructor(readonly name: string) {
    super();
  }

  static streamId(name: string): string {
    return `node-${name}`;
  }

  get enrolled(): boolean {
    return this.state !== null;
  }

  enrol(enrolment: NodeEnrolment): void {
    if (this.state) throw new Conflict(`node "${this.name}" is already enrolled`);
    this.record({ type: 'NodeEnrolled', data: { ...enrolment.props } });
  }

  rotateKey(fingerprint: string): void {
    const current = this.current();
    const next = normaliseFingerprint(fingerprint);
    if (next === current.fingerprint) {
      throw new Conflict(`node "${this.name}" already has the key ${next}`);
    }
    this.record({
      type: 'NodeKeyRotated',
      data: { name: this.name, fingerprint: next, previousFingerprint: current.fingerprint },
    });
  }

  remove(): void {
    this.current();
    this.record({ type: 'NodeRemoved', data: { name: this.name } });
  }

  protected apply(event: NodeEvent): void {
    switch (event.type) {
      case 'NodeEnrolled':
        this.state = { ...event.data };
        break;
      case 'NodeKeyRotated':
        if (this.state) this.state = { ...this.state, fingerprint: event.data.fingerprint };
        break;
      case 'NodeRemoved':
        this.state = null;
        break;
    }
  }

  private current(): NodeEnrolmentProps {
    if (!this.state) throw new NotFound(`node "${this.name}" is not enrolled`);
    return this.state;
  }
}
