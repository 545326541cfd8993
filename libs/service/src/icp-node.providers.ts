import { Provider } from '@nestjs/common';
import { IcpHandlers, IcpHost, Identity, loadOrCreateIdentity, readTrustFile } from '@testausdeploy/icp';
import { NodeServiceConfig } from './node-service';

/** What a node serves over ICP; each app provides one, mapping command names to its handlers. */
export abstract class NodeCommands {
  abstract handlers(): IcpHandlers;
}

/** Identity and ICP server of a Worker or Guardian, wired to the app's NodeCommands. */
export function icpNodeProviders(node: NodeServiceConfig, commonName: string): Provider[] {
  return [
    { provide: Identity, useFactory: () => loadOrCreateIdentity(node.stateDir, commonName) },
    {
      provide: IcpHost,
      inject: [Identity, NodeCommands],
      useFactory: (identity: Identity, commands: NodeCommands) =>
        new IcpHost({
          host: node.host,
          port: node.port,
          identity,
          trustedFingerprints: () => readTrustFile(node.trustFile),
          reloadIdentity: () => loadOrCreateIdentity(node.stateDir, commonName),
          handlers: commands.handlers(),
        }),
    },
  ];
}
