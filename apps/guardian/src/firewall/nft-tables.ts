import { HostCommandError, HostCommands } from './host-commands';
import { TABLE } from './nft-ruleset';
import { readShape, TableShape } from './table-shape';

const LIST = ['nft', '-j', 'list', 'table', 'inet', TABLE];

/** The Guardian's nftables table, through the `nft` CLI: written whole, read back as JSON. */
export class NftTables {
  constructor(private readonly host: HostCommands) {}

  /**
   * Runs one ruleset as a single transaction (all of it applies, or nothing does), then lists the table from
   * the kernel with a second `nft`. Both run under one shell: starting a process from Node costs more here than
   * either command's own work, and the second process reads what the kernel committed, not the first one's cache.
   */
  async applyAndRead(ruleset: string): Promise<TableShape | null> {
    return this.shape(() => this.host.run('sh', ['-c', `nft -f - && exec ${LIST.join(' ')}`], ruleset));
  }

  /** The table as the kernel has it now, or null if it does not exist. */
  read(): Promise<TableShape | null> {
    return this.shape(() => this.host.run(LIST[0], LIST.slice(1)));
  }

  private async shape(list: () => Promise<string>): Promise<TableShape | null> {
    try {
      return readShape(await list());
    } catch (error) {
      if (error instanceof HostCommandError && /No such file or directory/.test(error.message)) return null;
      throw error;
    }
  }
}
