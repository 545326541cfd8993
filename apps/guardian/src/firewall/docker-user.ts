import { HostCommands } from './host-commands';

const CHAIN = 'DOCKER-USER';
/** Marks the Guardian's rules in DOCKER-USER: it changes no rule without it. */
export const MARK = 'testausdeploy-guardian';

/**
 * The Guardian's rules in DOCKER-USER, the chain Docker reserves for its users (through `iptables`, which
 * Docker itself uses: rules written with `nft` would make Docker's own table unreadable to it). dockerd sets
 * the FORWARD policy to DROP, which would cut the container bridges off; these rules, at the top of the chain,
 * let their traffic out and replies and forwarded connections in. Rules without the mark are never touched.
 */
export class DockerUserRules {
  private readonly wanted: string[];

  constructor(
    private readonly host: HostCommands,
    bridges: string[],
  ) {
    this.wanted = bridges.flatMap((bridge) => [
      `-A ${CHAIN} -i ${bridge} -m comment --comment ${MARK} -j ACCEPT`,
      `-A ${CHAIN} -o ${bridge} -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -m comment --comment ${MARK} -j ACCEPT`,
    ]);
  }

  /** The chain's rules, or null when there is no DOCKER-USER (no dockerd: nothing to do). */
  private async rules(): Promise<string[] | null> {
    const lines = (await this.host.run('iptables', ['-S'])).split('\n');
    if (!lines.includes(`-N ${CHAIN}`)) return null;
    return lines.filter((line) => line.startsWith(`-A ${CHAIN} `));
  }

  /** Whether the chain starts with exactly the Guardian's rules (null: no chain), without changing anything. */
  async check(): Promise<boolean | null> {
    const rules = await this.rules();
    if (rules === null) return null;
    return this.inPlace(rules);
  }

  /** Puts the Guardian's rules at the top of the chain in one `iptables-restore` transaction if they are not. */
  async ensure(): Promise<boolean | null> {
    const rules = await this.rules();
    if (rules === null) return null;
    if (this.inPlace(rules)) return true;
    const ours = rules.filter((rule) => rule.includes(`--comment ${MARK}`));
    const restore = [
      '*filter',
      ...ours.map((rule) => rule.replace(/^-A /, '-D ')),
      ...[...this.wanted].reverse().map((rule) => rule.replace(/^-A (\S+) /, '-I $1 1 ')),
      'COMMIT',
      '',
    ];
    await this.host.run('iptables-restore', ['--noflush'], restore.join('\n'));
    if (!(await this.check()))
      throw new Error(`${CHAIN} does not start with the Guardian's rules after writing them`);
    return true;
  }

  private inPlace(rules: string[]): boolean {
    const ours = rules.filter((rule) => rule.includes(`--comment ${MARK}`));
    return (
      ours.length === this.wanted.length &&
      this.wanted.every((rule, i) => rules[i] === rule && ours[i] === rule)
    );
  }
}
