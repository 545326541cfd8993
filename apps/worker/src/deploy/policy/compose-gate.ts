import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { ComposeCli, ComposeProject } from '../compose-cli';
import { realTarget } from './clone-paths';
import { ComposeFileError, referenceViolations } from './compose-references';
import { policyViolations, RenderedCompose, Violation } from './compose-policy';
import { DefaultLimits, withDefaultLimits } from './resource-limits';

export interface GateOptions {
  /** Host ports projects may publish, inclusive. */
  ports: { from: number; to: number };
  limits: DefaultLimits;
  /** Where the checked files are written, one per project (0600, in a 0700 directory). */
  dir: string;
}

/** The compose file breaks the deploy policy; the message names every service and rule. */
export class ComposePolicyError extends Error {
  override readonly name = 'ComposePolicyError';

  constructor(readonly violations: Violation[]) {
    super(
      `the compose file breaks the deploy policy: ${violations
        .map(({ service, rule }) => (service ? `service "${service}": ${rule}` : rule))
        .join('; ')}`,
    );
  }
}

/**
 * What stands between a member's compose file and dockerd: the file references are checked as written, then
 * compose renders the file (nothing runs), the rendering is checked against the policy, default resource
 * limits are added, and the result is written out. Compose then runs that file, so what runs is exactly what
 * was checked: a `.env` or env file changed afterwards cannot slip anything in.
 */
export class ComposeGate {
  private readonly renderings = new Map<string, { key: string; text: string }>();

  constructor(
    private readonly compose: ComposeCli,
    private readonly options: GateOptions,
  ) {}

  /** The checked project to run, or ComposePolicyError / ComposeFileError with the reasons. */
  async admit(project: ComposeProject, clone: string): Promise<ComposeProject> {
    const realClone = await fs.realpath(clone);
    const inputs = new Set<string>();
    const references = await referenceViolations(project.file, realClone, inputs);
    if (references.length > 0) throw new ComposePolicyError(references);
    const rendered = parse(await this.render(project, inputs), { maxAliasCount: 100 }) as RenderedCompose;
    if (typeof rendered !== 'object' || rendered === null) {
      throw new ComposeFileError('compose rendered the file to nothing');
    }
    const violations = await policyViolations(
      rendered,
      { clone: realClone, ports: this.options.ports },
      realTarget,
    );
    if (violations.length > 0) throw new ComposePolicyError(violations);
    await fs.mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    const file = this.checkedFile(project.name);
    await fs.writeFile(file, stringify(withDefaultLimits(rendered, this.options.limits)), { mode: 0o600 });
    return { name: project.name, file };
  }

  /**
   * Compose's rendering of the project. A redeploy that changed no file compose reads (the compose file, the
   * files it refers to, and `.env` beside it; the Worker's environment is fixed) renders to the same text, so the
   * last rendering is reused and compose, a Python start of about half a second, is not run. The policy is
   * checked again either way: it also looks at the clone's files (symlinks of bind mounts), which may change.
   */
  private async render(project: ComposeProject, inputs: Set<string>): Promise<string> {
    const key = await digestOf([...inputs, path.join(path.dirname(project.file), '.env')]);
    const last = this.renderings.get(project.name);
    if (key !== null && last?.key === key) return last.text;
    const text = await this.compose.render(project);
    if (key === null) this.renderings.delete(project.name);
    else this.renderings.set(project.name, { key, text });
    return text;
  }

  /** The project as last admitted, or null if it never was (or was removed since). */
  async admitted(name: string): Promise<ComposeProject | null> {
    const file = this.checkedFile(name);
    return fs.access(file).then(
      () => ({ name, file }),
      () => null,
    );
  }

  /** Forgets a removed project's checked file. */
  async forget(name: string): Promise<void> {
    this.renderings.delete(name);
    await fs.rm(this.checkedFile(name), { force: true });
  }

  private checkedFile(name: string): string {
    return path.join(this.options.dir, `${name}.yml`);
  }
}

/** Inputs larger than this are not digested: their project is rendered every time. */
const MAX_DIGESTED_BYTES = 1024 * 1024;

/**
 * One digest over the paths and contents of `files` (a missing file counts as missing), or null when one is
 * not a plain, small file (a symlink, a device, something huge): those are not read here, and compose renders
 * their project every time.
 */
async function digestOf(files: string[]): Promise<string | null> {
  const hash = createHash('sha256');
  for (const file of files) {
    const stat = await fs.lstat(file).catch(() => null);
    if (stat && (!stat.isFile() || stat.size > MAX_DIGESTED_BYTES)) return null;
    const content = stat && (await fs.readFile(file));
    hash.update(`${file}\0${content ? content.length : 'missing'}\0`);
    if (content) hash.update(content);
  }
  return hash.digest('hex');
}
