import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { isInside, realTarget, SymlinkLoop } from './checkout-paths';
import { readProjectEnv } from './project-env';
import { isMapping, type Finding } from './shapes';

/** Larger compose files are refused before parsing. */
export const MAX_COMPOSE_BYTES = 512 * 1024;
const MAX_DEPTH = 5;
const MAX_ALIASES = 100;

/**
 * Files compose reads while rendering a compose file (env files, label files, extended files, includes and their
 * own env files and project directories, build contexts) must be in the checkout: rendering reads env files into the
 * configuration, so `env_file: /etc/shadow` would hand a host file to the containers before any later rule could
 * see where it came from. Compose renders in a sandbox where no such host file exists at all
 * (compose-sandbox.ts); this check comes first and says what is wrong. It reads the file as compose does, YAML
 * merge keys (`<<: *anchor`, `<<: [*a, *b]`) included, and follows extended and included files the same way.
 * Every file compose would read, the compose file first, is added to `inputs`.
 */
export async function referenceFindings(
  file: string,
  checkout: string,
  inputs: Set<string> = new Set(),
  depth = 0,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  inputs.add(file);
  const document = await readCompose(file);
  const base = path.dirname(file);
  const prefix = depth === 0 ? '' : `${path.relative(checkout, file)}: `;
  /** `read`: a file compose reads in; `follow`: a compose file of its own; `place`: a directory it looks at. */
  const check = async (where: string, reference: unknown, use: 'read' | 'follow' | 'place') => {
    const refuse = (rule: string) => findings.push({ path: where, rule: `${prefix}${rule}` });
    if (typeof reference !== 'string') return refuse('must be a path');
    if (reference.includes('$')) return refuse(`"${reference}" must be a literal path, without variables`);
    const target = await realTarget(path.resolve(base, reference)).catch((error: Error) => {
      if (error instanceof SymlinkLoop) return null;
      throw error;
    });
    if (target === null) return refuse(`"${reference}" runs into a symlink loop`);
    if (!isInside(checkout, target)) return refuse(`"${reference}" is outside the repository`);
    if (use === 'read') inputs.add(target);
    else if (use === 'follow' && depth < MAX_DEPTH)
      findings.push(...(await referenceFindings(target, checkout, inputs, depth + 1)));
    else if (use === 'follow') refuse(`"${reference}" nests more than ${MAX_DEPTH} files deep`);
    // An included project reads the .env beside it (compose v2): a plain file of the checkout, like the main one.
    if (use === 'follow' && where.startsWith('include')) {
      const env = await readProjectEnv(path.dirname(target));
      for (const finding of env.findings)
        findings.push({ path: where, rule: `${prefix}${finding.path}: ${finding.rule}` });
      inputs.add(path.join(path.dirname(target), '.env'));
    }
  };
  for (const [index, entry] of list(document.include).entries()) {
    const at = `include[${index}]`;
    if (!isMapping(entry)) {
      await check(at, entry, 'follow');
      continue;
    }
    for (const [n, reference] of list(entry.path).entries())
      await check(`${at}.path[${n}]`, reference, 'follow');
    for (const [n, reference] of list(entry.env_file).entries())
      await check(`${at}.env_file[${n}]`, reference, 'read');
    if (entry.project_directory !== undefined)
      await check(`${at}.project_directory`, entry.project_directory, 'place');
  }
  for (const [service, spec] of Object.entries(mappingOf(document.services))) {
    const at = `services.${service}`;
    const fields = mappingOf(spec);
    for (const [n, entry] of list(fields.env_file).entries()) {
      await check(`${at}.env_file[${n}]`, isMapping(entry) ? entry.path : entry, 'read');
    }
    for (const [n, reference] of list(fields.label_file).entries())
      await check(`${at}.label_file[${n}]`, reference, 'read');
    const extended = mappingOf(fields.extends).file;
    if (extended !== undefined) await check(`${at}.extends.file`, extended, 'follow');
    // Compose reads a build context while rendering too; one with variables is judged once rendered (mounts.ts).
    const context = typeof fields.build === 'string' ? fields.build : mappingOf(fields.build).context;
    if (
      typeof context === 'string' &&
      !context.includes('$') &&
      !/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(context)
    ) {
      await check(`${at}.build.context`, context, 'place');
    }
  }
  return findings;
}

/** A compose file as compose reads it (merge keys resolved), bounded in size and aliases. */
export async function readCompose(file: string): Promise<Record<string, unknown>> {
  const stat = await fs.stat(file);
  if (stat.size > MAX_COMPOSE_BYTES) {
    throw new ComposeFileError(`${path.basename(file)} is larger than ${MAX_COMPOSE_BYTES / 1024} KiB`);
  }
  let document: unknown;
  try {
    // As compose reads it: merge keys resolved. A bounded number of aliases: a "billion laughs" file is refused.
    document = parse(await fs.readFile(file, 'utf8'), {
      merge: true,
      maxAliasCount: MAX_ALIASES,
      uniqueKeys: true,
    });
  } catch (error) {
    throw new ComposeFileError(
      `${path.basename(file)} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (!isMapping(document)) {
    throw new ComposeFileError(`${path.basename(file)} is not a compose file (not a mapping)`);
  }
  return document;
}

/** The compose file cannot be read as one; `message` says why. */
export class ComposeFileError extends Error {
  override readonly name = 'ComposeFileError';
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function mappingOf(value: unknown): Record<string, unknown> {
  return isMapping(value) ? value : {};
}
