import type { LxdSocket } from './lxd-socket';
import type { LxdImage, LxdImageAlias } from './lxd-types';

/** Images in LXD's local store (no image server is used: ours are built and imported by scripts/). */
export class LxdImages {
  constructor(private readonly socket: LxdSocket) {}

  list(): Promise<LxdImage[]> {
    return this.socket.sync({ path: '/1.0/images?recursion=1' });
  }

  get(fingerprint: string): Promise<LxdImage> {
    return this.socket.sync({ path: `/1.0/images/${encodeURIComponent(fingerprint)}` });
  }

  alias(name: string): Promise<LxdImageAlias> {
    return this.socket.sync({ path: `/1.0/images/aliases/${encodeURIComponent(name)}` });
  }

  /** The image an alias points at; LxdError 404 "Image alias not found" when there is none. */
  async byAlias(name: string): Promise<LxdImage> {
    return this.get((await this.alias(name)).target);
  }
}
