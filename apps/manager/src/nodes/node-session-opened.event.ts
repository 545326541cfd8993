import { NodeKind } from '@testausdeploy/domain';

/** The Manager's session to a node was authenticated: on first connect and after every reconnect. */
export class NodeSessionOpened {
  constructor(
    readonly name: string,
    readonly kind: NodeKind,
  ) {}
}
