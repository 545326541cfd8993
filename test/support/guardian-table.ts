import { NetworkNamespace } from './netns';

/** The host ports a Guardian's table lets in over TCP, read from the kernel of its network namespace. */
export async function allowedTcp(netns: NetworkNamespace): Promise<number[]> {
  const json = await netns.exec('nft', '-j', 'list', 'set', 'inet', 'testausdeploy', 'allowed_tcp');
  const set = (JSON.parse(json) as { nftables: { set?: { elem?: number[] } }[] }).nftables.find(
    (item) => item.set,
  );
  return set?.set?.elem ?? [];
}
