import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { composeProjectName } from '../compose-cli';

/** The two compose projects a project's versions run in, and which of them runs the version that serves. */
export interface Slots {
  /** `td_<org>_<repo>`: the project's own name, which its data, checkouts, volumes and images go by. */
  project: string;
  /** The compose project of the version that serves now. */
  live: string;
  /** The other one, which the next version starts in beside it. */
  other: string;
}

/**
 * A routed project's next version starts in a second compose project beside the running one, and the two swap
 * places at each such redeploy (docs/proxy.md, "Redeploys without downtime"): `td_<org>_<repo>` and
 * `td_<org>--b_<repo>`. A GitHub organisation's name never holds "--" (the Worker's allow-list holds only such
 * names), so the second name is never another project's own, and every name compose derives from it still
 * holds exactly two "_". Which of the two serves is kept in `<dir>/<project>.live`; without it, the first.
 */
export class ProjectSlots {
  constructor(private readonly dir: string) {}

  async of(org: string, repo: string): Promise<Slots> {
    const [project, second] = slotNames(org, repo);
    const live = await fs.readFile(this.file(project), 'utf8').then(
      (text) => (text.trim() === second ? second : project),
      () => project,
    );
    return { project, live, other: live === project ? second : project };
  }

  /** Records that `slot` now runs the version that serves (written whole: a crash leaves the old record or this). */
  async serve(project: string, slot: string): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.file(project);
    await fs.writeFile(`${file}.new`, `${slot}\n`, { mode: 0o600 });
    await fs.rename(`${file}.new`, file);
  }

  async forget(project: string): Promise<void> {
    await fs.rm(this.file(project), { force: true });
  }

  private file(project: string): string {
    return path.join(this.dir, `${project}.live`);
  }
}

/** Both compose projects of a project, its own name first. */
export function slotNames(org: string, repo: string): [string, string] {
  const own = composeProjectName(org, repo);
  return [own, own.replace(/^td_([^_]+)_/, 'td_$1--b_')];
}

/** The project's own name of either of its compose projects; null for a compose project that is not one of ours. */
export function slotOwner(composeProject: string): string | null {
  const match = /^td_([a-z0-9-]+?)(--b)?_([a-z0-9-]+)$/.exec(composeProject);
  return match ? `td_${match[1]}_${match[3]}` : null;
}
