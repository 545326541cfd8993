import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { Conflict, NodeKind, Unavailable } from '@testausdeploy/domain';
import { IcpClient, Identity } from '@testausdeploy/icp';
import { NodeDirectory } from './node-directory';
import { NodeSessionOpened } from './node-session-opened.event';
import { NodeView } from './projections/node-view';

interface Session {
  view: NodeView;
  client: IcpClient;
}

/**
 * The Manager's ICP sessions, one per enrolled node, kept in line with the registry: a node enrolled gets
 * dialled, a re-keyed one redialled with its new pin, a removed one hung up on. The Manager always dials out;
 * a node never connects in.
 */
@Injectable()
export class NodeConnections implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sessions = new Map<string, Session>();
  private reconciled: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly logger = new Logger(NodeConnections.name);

  constructor(
    private readonly directory: NodeDirectory,
    private readonly identity: Identity,
    private readonly bus: EventBus,
  ) {}

  /** Not awaited: the registry is a read model, which starts with the app (see ReadModels.started). */
  onApplicationBootstrap(): void {
    void this.reconcile();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    this.sessions.forEach(({ client }) => client.stop());
    this.sessions.clear();
  }

  /**
   * Brings the sessions in line with the registry; calls run one after the other. Never rejects: its callers
   * run it in the background, and a registry that cannot be read (the database gone, or closed while the app
   * shuts down) is logged and read again on the next call.
   */
  reconcile(): Promise<void> {
    this.reconciled = this.reconciled.then(() =>
      this.apply().catch((error: Error) => {
        if (!this.stopped) this.logger.error(`reading the node registry: ${error.message}`);
      }),
    );
    return this.reconciled;
  }

  connected(name: string): boolean {
    return this.sessions.get(name)?.client.connected ?? false;
  }

  /** Whether at least one node of `kind` has its session up. */
  anyConnected(kind: NodeKind): boolean {
    return [...this.sessions.values()].some(({ view, client }) => view.kind === kind && client.connected);
  }

  /** The enrolled nodes of `kind` with their sessions (connected or not), by name. */
  ofKind(kind: NodeKind): { name: string; client: IcpClient }[] {
    return [...this.sessions.values()]
      .filter(({ view }) => view.kind === kind)
      .map(({ view, client }) => ({ name: view.name, client }));
  }

  /** Since when the node's session has been down; null while it is up (or for a node not enrolled). */
  unreachableSince(name: string): Date | null {
    return this.sessions.get(name)?.client.unreachableSince ?? null;
  }

  /**
   * The session of the Worker `node`, for a command about what runs there: never another Worker's. One not
   * enrolled is a 409; one whose session is down a 503 that says since when (docs/scaling.md, "A node that goes
   * away").
   */
  workerOn(node: string): IcpClient {
    const session = this.sessions.get(node);
    if (session?.view.kind !== 'worker') throw new Conflict(`node "${node}" is not an enrolled Worker`);
    const since = session.client.unreachableSince;
    if (since) {
      throw new Unavailable(
        `node ${node} is unreachable since ${since.toISOString()}: nothing is sent elsewhere; try again once it is back`,
      );
    }
    return session.client;
  }

  private async apply(): Promise<void> {
    if (this.stopped) return;
    const views = new Map((await this.directory.all()).map((view) => [view.name, view]));
    for (const [name, session] of this.sessions) {
      const view = views.get(name);
      if (view?.url === session.view.url && view.fingerprint === session.view.fingerprint) continue;
      session.client.stop();
      this.sessions.delete(name);
    }
    for (const [name, view] of views) {
      if (this.sessions.has(name)) continue;
      const client = new IcpClient({
        url: view.url,
        identity: this.identity,
        serverFingerprint: view.fingerprint,
        logger: new Logger(`Node ${name}`),
        onSession: () => this.bus.publish(new NodeSessionOpened(name, view.kind)),
      });
      this.sessions.set(name, { view, client });
      client.start();
    }
  }
}
