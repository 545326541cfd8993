import { HostCommandError, HostCommands } from './host-commands';
import { TABLE } from './nft-ruleset';
import { readShape, TableShape } from './table-shape';

/** The Guardian's nftables table, through the `nft` CLI: written whole, read back as JSON. */
export class NftTables {
  constructor(private readonly host: HostCommands) {}

  /** Runs one ruleset file as a single transaction: all of it applies, or nothing does. */
  async apply(ruleset: string): Promise<void> {
    await this.host.run('nft', ['-f', '-'], ruleset);
  }

  /** The table as the kernel has it now, or null if it does not exist. */
  async read(): Promise<TableShape | null> {
    try {
      return readShape(await this.host.run('nft', ['-j', 'list', 'table', 'inet', TABLE]));
    } catch (error) {
      if (error instanceof HostCommandError && /No such file or directory/.test(error.message)) return null;
      throw error;
    }
  }
}
