import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ComposeCli, type ComposeProject } from '../../apps/worker/src/deploy/compose-cli';
import { ComposeSandbox, dockerSocketPath } from '../../apps/worker/src/deploy/compose-sandbox';

/**
 * The compose commands the tests run: Debian's docker-compose 1.29 (what the Worker detects on these machines),
 * and compose v2 where scripts/test.sh built it (`TEST_COMPOSE_V2`, a binary outside /usr, given to the sandbox).
 */
export function composeVariants(): { label: string; command: string[] }[] {
  const v2 = process.env.TEST_COMPOSE_V2;
  return [
    { label: 'docker-compose 1.29', command: ['docker-compose'] },
    ...(v2 ? [{ label: 'compose v2', command: [v2] }] : []),
  ];
}

/** A ComposeCli as the Worker builds it: every run in the sandbox. */
export function composeCli(command?: string[]): ComposeCli {
  const sandbox = new ComposeSandbox({
    dockerSocket: dockerSocketPath(),
    scratchDir: path.join(tmpdir(), 'td-test-sandbox'),
    programs: (command ?? []).filter((part) => path.isAbsolute(part) && !part.startsWith('/usr/')),
  });
  return new ComposeCli({ sandbox, ...(command && { command }) });
}

/** A project whose compose file is `file`, which may read its own directory, and interpolates nothing. */
export async function projectAt(name: string, file: string): Promise<ComposeProject> {
  const envFile = path.join(path.dirname(file), '.td-test-empty.env');
  await fs.writeFile(envFile, '');
  return { name, file, readable: [path.dirname(file)], envFile };
}
