import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { ComposeCli, ComposeError, ComposeProject } from '../compose-cli';
import { allowListFindings, LimitCaps } from './allow-list';
import { ComposeFileError, readCompose, referenceFindings } from './compose-references';
import { ProjectVariable, withVariables } from '../project-variables';
import { whyNotBeside } from '../handover/beside-check';
import { inSlot } from '../handover/slot-names';
import { RoutedService, withRoutes } from '../routes/project-routes';
import { placeMounts } from './mounts';
import { readProjectEnv } from './project-env';
import { DefaultLimits, withDefaultLimits } from './resource-limits';
import { isMapping, type Finding } from './shapes';

/** What the platform gives a project beyond its repository: its variables, and its routed services' addresses. */
export interface PlatformGiven {
  variables: readonly ProjectVariable[];
  routes: readonly RoutedService[];
}

export interface GateOptions {
  /** Host ports projects may publish, inclusive. */
  ports: { from: number; to: number };
  limits: DefaultLimits;
  caps: LimitCaps;
  /** Where the checked files are written, one per project (0600, in a 0700 directory). */
  dir: string;
  /** The Docker network routed services join (apps-network.ts). */
  appsNetwork: string;
}

/** One deployment attempt's project, as the gate gets it. */
export interface Admission {
  /** The compose project name (`td_<org>_<repo>`): its rules (image namespace, volume names) go by it. */
  name: string;
  /**
   * The compose project that runs it: `name`, or the second one a routed project's next version starts in beside
   * the running one (handover/project-slots.ts). The checked file is this one's.
   */
  runAs: string;
  /** The real path of the attempt's checkout. */
  checkout: string;
  /** The compose file in it, resolved (compose-path.ts). */
  file: string;
  /** Where the project's bind mounts of paths the commit does not have keep their data. */
  data: { mountDir(relative: string): string; prepare(relative: string): Promise<unknown> };
}

/** At most this many findings are named in a reason, each at most MAX_FINDING characters. */
const MAX_LISTED = 12;
const MAX_FINDING = 300;

/** The compose file breaks the deploy policy; the message names paths and rules (bounded: it is recorded). */
export class ComposePolicyError extends Error {
  override readonly name = 'ComposePolicyError';

  constructor(readonly findings: Finding[]) {
    const listed = findings.slice(0, MAX_LISTED).map(({ path: where, rule }) => {
      const line = where ? `${where}: ${rule}` : rule;
      return line.length > MAX_FINDING ? `${line.slice(0, MAX_FINDING)}…` : line;
    });
    const more = findings.length > MAX_LISTED ? `; and ${findings.length - MAX_LISTED} more` : '';
    super(`the compose file breaks the deploy policy: ${listed.join('; ')}${more}`);
  }
}

/** Where the checked file keeps what the project may read: compose ignores `x-` keys. */
const VIEW_KEY = 'x-testausdeploy';

/** What the checked file says of itself: the checkout it runs from, and the profiles it was rendered with. */
interface CheckedView {
  checkout: string;
  profiles: string | null;
}

/**
 * What stands between a member's compose file and dockerd. The files compose would read are checked as written,
 * the project's `.env` is read by the Worker, compose renders the project in its sandbox (nothing runs), the
 * rendering is judged key by key against the allow-list and path by path against the checkout, its mounts are
 * placed (read-only from the checkout, or in the project's data), limits are given and capped, and the result is
 * written out. Compose then runs that file, in the same sandbox: what runs is exactly what was checked.
 */
export class ComposeGate {
  private readonly renderings = new Map<string, { key: string; text: string; checkout: string }>();

  constructor(
    private readonly compose: ComposeCli,
    private readonly options: GateOptions,
  ) {}

  /**
   * The checked project to run and notes for the deployment's log, or ComposePolicyError / ComposeFileError.
   * The project's `variables` join its services' environments, and its routed services join the apps network,
   * once everything is checked: they are the platform's, not the repository's, and no variable's value is ever
   * part of a rendering, a finding or a note.
   */
  async admit(
    admission: Admission,
    { variables, routes }: PlatformGiven,
    onOutput?: (line: string) => void,
  ): Promise<{ project: ComposeProject; notes: string[]; besideProblem: string | null }> {
    const { name, runAs, checkout, file } = admission;
    const inputs = new Set<string>();
    const references = await referenceFindings(file, checkout, inputs);
    const env = await readProjectEnv(path.dirname(file));
    if (references.length > 0 || env.findings.length > 0)
      throw new ComposePolicyError([...references, ...env.findings]);
    await fs.mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    const envFile = this.envFile(name);
    await fs.writeFile(envFile, env.text ?? '', { mode: 0o600 });
    const source = { name, file, readable: [checkout], envFile };

    const text = await this.render(source, checkout, inputs, onOutput).catch(async (error: unknown) => {
      // Compose refuses keys it does not know; say which the allow-list refuses, rather than only that it failed.
      const keys =
        error instanceof ComposeError ? writtenKeyFindings(await readCompose(file), name, this.options) : [];
      throw keys.length > 0 ? new ComposePolicyError(keys) : error;
    });
    const rendered = parse(text, { maxAliasCount: 100 }) as unknown;
    if (!isMapping(rendered)) throw new ComposeFileError('compose rendered the file to nothing');
    const findings = allowListFindings(rendered, {
      project: name,
      ports: this.options.ports,
      caps: this.options.caps,
    });
    if (findings.length > 0) throw new ComposePolicyError(findings);
    const placed = await placeMounts(rendered, {
      project: name,
      checkout,
      dataDir: (relative) => admission.data.mountDir(relative),
    });
    if (placed.findings.length > 0) throw new ComposePolicyError(placed.findings);
    for (const relative of placed.data) await admission.data.prepare(relative);

    const checked = this.checkedFile(runAs);
    // `x-` extensions mean nothing once rendered; the checked file's own says which checkout it runs from.
    const rest = Object.fromEntries(Object.entries(placed.rendered).filter(([key]) => !key.startsWith('x-')));
    const view = { checkout, profiles: env.profiles };
    const slotted = runAs === name ? rest : inSlot(rest, name, runAs);
    const routed = withRoutes(slotted, routes, this.options.appsNetwork);
    if (routed.findings.length > 0) throw new ComposePolicyError(routed.findings);
    const configured = withVariables(withDefaultLimits(routed.project, this.options.limits), variables);
    const runnable = { ...configured.project, [VIEW_KEY]: view };
    // The one file on the Worker that holds the variables' values: 0600, in a 0700 directory no mount can name.
    await fs.writeFile(checked, checkedText(runnable), { mode: 0o600 });
    await fs.chmod(checked, 0o600);
    return {
      project: await this.runnable(runAs, checked, view),
      notes: [...placed.notes, ...routed.notes, ...configured.notes],
      besideProblem: whyNotBeside(rest),
    };
  }

  /**
   * Compose's rendering of the project. A redeploy that changed no file compose reads (the compose file, the
   * files it refers to, and `.env`, compared by their paths in the checkout and their contents; the sandbox is
   * fixed) renders to the same text but for the checkout's path, so the last rendering is reused with that path
   * moved and compose, a Python start of about half a second, is not run. Every rule is checked again either way.
   */
  private async render(
    project: ComposeProject,
    checkout: string,
    inputs: Set<string>,
    onOutput?: (line: string) => void,
  ): Promise<string> {
    const key = await digestOf(checkout, [...inputs, path.join(path.dirname(project.file), '.env')]);
    const last = this.renderings.get(project.name);
    if (key !== null && last?.key === key) return relocate(last.text, last.checkout, checkout);
    const text = await this.compose.render(project, onOutput);
    if (key === null) this.renderings.delete(project.name);
    else this.renderings.set(project.name, { key, text, checkout });
    return text;
  }

  /** The project as last admitted, with the checkout its file refers to, or null if it never was (or was removed). */
  async admitted(name: string): Promise<ComposeProject | null> {
    const file = this.checkedFile(name);
    const text = await fs.readFile(file, 'utf8').catch(() => null);
    if (text === null) return null;
    const view = (parse(text) as Record<string, Partial<CheckedView>>)[VIEW_KEY] ?? {};
    const exists = view.checkout
      ? await fs.stat(view.checkout).then(
          () => true,
          () => false,
        )
      : false;
    return this.runnable(name, file, {
      checkout: exists ? view.checkout : undefined,
      profiles: view.profiles ?? null,
    });
  }

  /**
   * A checked file as compose runs it: with no variables (everything was interpolated when it was rendered, and
   * what is left of `$` is escaped), so nothing a later `.env` says can change it; only the profiles it was
   * rendered with, so the services that run are the ones that were judged active.
   */
  private async runnable(
    name: string,
    file: string,
    { checkout, profiles }: Partial<CheckedView>,
  ): Promise<ComposeProject> {
    const envFile = path.join(this.options.dir, `${name}.run.env`);
    await fs.writeFile(envFile, profiles ? `COMPOSE_PROFILES=${profiles}\n` : '', { mode: 0o600 });
    return { name, file, readable: checkout ? [checkout] : [], envFile };
  }

  /** Forgets a removed project's checked file. */
  async forget(name: string): Promise<void> {
    this.renderings.delete(name);
    await fs.rm(this.checkedFile(name), { force: true });
    await fs.rm(this.envFile(name), { force: true });
    await fs.rm(path.join(this.options.dir, `${name}.run.env`), { force: true });
  }

  private checkedFile(name: string): string {
    return path.join(this.options.dir, `${name}.yml`);
  }

  /** The variables of the project's `.env` that compose interpolates while rendering (empty without one). */
  private envFile(name: string): string {
    return path.join(this.options.dir, `${name}.env`);
  }
}

/**
 * The checked file as compose reads it back, exactly: JSON, which YAML 1.1 and 1.2 readers read alike, with every
 * character outside ASCII escaped. A YAML writer leaves U+0085, U+2028 and U+2029 as they are, and compose's
 * readers take them for line breaks: a value holding one would read back as another value, or as more keys.
 */
function checkedText(project: Record<string, unknown>): string {
  return `${JSON.stringify(project, null, 2)
    .replace(
      /[\ud800-\udbff][\udc00-\udfff]/g,
      (pair) => `\\U${pair.codePointAt(0)!.toString(16).padStart(8, '0')}`,
    )
    .replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

/** Keys compose resolves while rendering: allowed as written, refused only if a rendering still had them. */
const RESOLVED_WHILE_RENDERING = /^include$|\.(env_file|extends|label_file)$/;

/** The keys of the file as written that the allow-list refuses (its values are judged once rendered). */
function writtenKeyFindings(
  document: Record<string, unknown>,
  name: string,
  options: GateOptions,
): Finding[] {
  return allowListFindings(document, { project: name, ports: options.ports, caps: options.caps }).filter(
    (finding) => finding.key && !RESOLVED_WHILE_RENDERING.test(finding.path),
  );
}

/** Inputs larger than this are not digested: their project is rendered every time. */
const MAX_DIGESTED_BYTES = 1024 * 1024;

/**
 * One digest over the paths (relative to the checkout) and contents of `files` (a missing file counts as
 * missing), or null when one is not a plain, small file of the checkout: those are not read here, and compose
 * renders their project every time.
 */
async function digestOf(checkout: string, files: string[]): Promise<string | null> {
  const hash = createHash('sha256');
  for (const file of files) {
    const relative = path.relative(checkout, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
    const stat = await fs.lstat(file).catch(() => null);
    if (stat && (!stat.isFile() || stat.size > MAX_DIGESTED_BYTES)) return null;
    const content = stat && (await fs.readFile(file));
    hash.update(`${relative}\0${content ? content.length : 'missing'}\0`);
    if (content) hash.update(content);
  }
  return hash.digest('hex');
}

/** A rendering of one checkout as the rendering of another: every path into `from` leads into `to` instead. */
function relocate(text: string, from: string, to: string): string {
  const move = (value: unknown): unknown => {
    if (typeof value === 'string') {
      // A path into the checkout, or a short-syntax mount of one (`<checkout>:/repo:rw`, as v1 renders it).
      const into = value === from || value.startsWith(`${from}/`) || value.startsWith(`${from}:`);
      return into ? to + value.slice(from.length) : value;
    }
    if (Array.isArray(value)) return value.map(move);
    if (isMapping(value))
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, move(item)]));
    return value;
  };
  return stringify(move(parse(text, { maxAliasCount: 100 })));
}
