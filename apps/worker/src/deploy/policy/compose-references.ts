import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { isInside, realTarget } from './clone-paths';
import { Violation } from './compose-policy';

/** Larger compose files are refused before parsing. */
export const MAX_COMPOSE_BYTES = 512 * 1024;
const MAX_DEPTH = 5;

/**
 * Files compose reads while rendering a compose file (env files, extended files, includes) must be in the
 * repository too: rendering reads them into the configuration, so `env_file: /etc/shadow` would hand a host
 * file to the containers before any rule could see where it came from. This checks the file as written, before
 * compose reads anything, and follows extended and included files the same way. Every file it finds compose
 * would read, the compose file first, is added to `inputs`.
 */
export async function referenceViolations(
  file: string,
  clone: string,
  inputs: Set<string> = new Set(),
  depth = 0,
): Promise<Violation[]> {
  const violations: Violation[] = [];
  inputs.add(file);
  const document = await readCompose(file);
  const base = path.dirname(file);
  const check = async (service: string | null, what: string, reference: unknown, follow: boolean) => {
    const refuse = (rule: string) => violations.push({ service, rule });
    if (typeof reference !== 'string') return refuse(`${what} must be a path`);
    if (reference.includes('$'))
      return refuse(`${what} "${reference}" must be a literal path, without variables`);
    const target = await realTarget(path.resolve(base, reference));
    if (!isInside(clone, target)) return refuse(`${what} "${reference}" is outside the repository`);
    if (follow && depth < MAX_DEPTH)
      violations.push(...(await referenceViolations(target, clone, inputs, depth + 1)));
    else if (follow) refuse(`${what} "${reference}" nests more than ${MAX_DEPTH} files deep`);
    else inputs.add(target);
  };
  for (const entry of list(document.include)) {
    const paths =
      typeof entry === 'object' && entry !== null ? list((entry as { path?: unknown }).path) : [entry];
    for (const reference of paths) await check(null, 'include', reference, true);
  }
  for (const [service, spec] of Object.entries(objectOf(document.services))) {
    const fields = objectOf(spec);
    for (const entry of list(fields.env_file)) {
      const reference =
        typeof entry === 'object' && entry !== null ? (entry as { path?: unknown }).path : entry;
      await check(service, 'env_file', reference, false);
    }
    for (const reference of list(fields.label_file)) await check(service, 'label_file', reference, false);
    const extended = objectOf(fields.extends).file;
    if (extended !== undefined) await check(service, 'extends file', extended, true);
  }
  return violations;
}

async function readCompose(file: string): Promise<Record<string, unknown>> {
  const stat = await fs.stat(file);
  if (stat.size > MAX_COMPOSE_BYTES) {
    throw new ComposeFileError(`${path.basename(file)} is larger than ${MAX_COMPOSE_BYTES / 1024} KiB`);
  }
  let document: unknown;
  try {
    // A bounded number of aliases: a "billion laughs" file is refused instead of expanded.
    document = parse(await fs.readFile(file, 'utf8'), { maxAliasCount: 100, uniqueKeys: true });
  } catch (error) {
    throw new ComposeFileError(`${path.basename(file)} is not valid YAML: ${(error as Error).message}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ComposeFileError(`${path.basename(file)} is not a compose file (not a mapping)`);
  }
  return document as Record<string, unknown>;
}

/** The compose file cannot be read as one; `message` says why. */
export class ComposeFileError extends Error {
  override readonly name = 'ComposeFileError';
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
