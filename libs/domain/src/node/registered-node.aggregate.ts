import { AggregateRoot } from '../aggregate-root';
import { Conflict, InvalidInput, NotFound } from '../errors';
import { NodeEnrolment, NodeEnrolmentProps, normaliseFingerprint } from './node-enrolment';
import { NodeEvent } from './node.events';

/** A Worker's label: what placement matches (`gpu`, `ssd`, `containers-only`). */
export const NODE_LABEL = /^[a-z0-9][a-z0-9-]{0,31}$/;
const MAX_LABELS = 16;

/**
 * A Worker or Guardian in the Manager's registry, one stream per name. A removed node's name can be enrolled
 * again: its stream goes on, so its whole history stays in one place.
 */
export class RegisteredNode extends AggregateRoot<NodeEvent> {
  private state: NodeEnrolmentProps | null = null;
  private labels: string[] = [];
  private draining = false;

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

  /** Removed only when nothing runs on it (`placed`: what does, by the Manager's read models). */
  remove(placed: readonly string[] = []): void {
    this.current();
    if (placed.length > 0) {
      const listed =
        placed.slice(0, 5).join(', ') + (placed.length > 5 ? ` and ${placed.length - 5} more` : '');
      throw new Conflict(`node "${this.name}" still runs ${listed}: move or remove them first`);
    }
    this.record({ type: 'NodeRemoved', data: { name: this.name } });
  }

  /** Sets the Worker's labels, all of them: what placement can ask for (docs/scaling.md). */
  label(labels: readonly string[]): void {
    if (this.current().kind !== 'worker')
      throw new Conflict(`"${this.name}" is a guardian: label its Worker`);
    const next = [...new Set(labels)].sort();
    for (const label of next) {
      if (!NODE_LABEL.test(label)) {
        throw new InvalidInput(
          `"${label}" is not a valid label (lower-case letters, digits and "-", at most 32, starting with a letter or digit)`,
        );
      }
    }
    if (next.length > MAX_LABELS) throw new InvalidInput(`a node has at most ${MAX_LABELS} labels`);
    if (next.join() === this.labels.join())
      throw new Conflict(`node "${this.name}" has these labels already`);
    this.record({ type: 'NodeLabelled', data: { name: this.name, labels: next } });
  }

  /** Starts or ends draining: a drained Worker takes nothing new, and what runs on it stays. */
  setDraining(draining: boolean): void {
    if (this.current().kind !== 'worker')
      throw new Conflict(`"${this.name}" is a guardian: drain its Worker`);
    if (draining === this.draining) {
      throw new Conflict(
        `node "${this.name}" is ${draining ? 'being drained already' : 'not being drained'}`,
      );
    }
    this.record({ type: 'NodeDrainingSet', data: { name: this.name, draining } });
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
        this.labels = [];
        this.draining = false;
        break;
      case 'NodeLabelled':
        this.labels = event.data.labels;
        break;
      case 'NodeDrainingSet':
        this.draining = event.data.draining;
        break;
    }
  }

  private current(): NodeEnrolmentProps {
    if (!this.state) throw new NotFound(`node "${this.name}" is not enrolled`);
    return this.state;
  }
}
