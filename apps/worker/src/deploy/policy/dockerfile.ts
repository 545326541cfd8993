import { promises as fs } from 'node:fs';
import { imageProblem } from './allow-list';

const MAX_DOCKERFILE_BYTES = 1024 * 1024;
const URL = /^[a-z][a-z0-9+.-]*:\/\/|^git@/i;

/**
 * What a Dockerfile may ask of dockerd, which runs the build: `ADD <url>` is fetched by dockerd itself, from the
 * host's network, where services that listen only on 127.0.0.1 answer (and cloud metadata addresses); `FROM`,
 * `COPY --from` and `RUN --mount=from=` are resolved against every image on the host, other projects' among
 * them; `# syntax=` runs a builder frontend of the file's choosing; `RUN --network=host` runs a step in the host's
 * network, and `--mount=type=ssh|secret` asks for what the Worker has. Each problem names its line.
 */
export async function dockerfileProblems(file: string, project: string): Promise<string[]> {
  const stat = await fs.stat(file);
  if (stat.size > MAX_DOCKERFILE_BYTES) return [`is larger than ${MAX_DOCKERFILE_BYTES / 1024} KiB`];
  const problems: string[] = [];
  const stages = new Set<string>(['scratch']);
  for (const { line, instruction, rest } of instructions(await fs.readFile(file, 'utf8'), problems)) {
    const refuse = (problem: string) => problems.push(`line ${line}: ${problem}`);
    const { flags, args } = flagsOf(rest);
    const from = (reference: string, what: string) => {
      if (stages.has(reference.toLowerCase())) return;
      const problem = imageProblem(reference, project);
      if (problem) refuse(`${what} ${problem}`);
    };
    if (instruction === 'FROM') {
      from(args[0] ?? '', 'FROM');
      if (args[1]?.toUpperCase() === 'AS' && args[2]) stages.add(args[2].toLowerCase());
    }
    if (instruction === 'COPY' && flags.from) from(flags.from, 'COPY --from');
    if (instruction === 'ADD') {
      for (const source of args.slice(0, -1))
        if (URL.test(source))
          refuse(
            `ADD ${source}: dockerd would fetch it from the host's network; download it in a RUN step, or commit it`,
          );
    }
    if (instruction === 'RUN') {
      if (flags.network !== undefined && flags.network !== 'default' && flags.network !== 'none') {
        refuse(`RUN --network=${flags.network} is not allowed: build steps use the build's network`);
      }
      for (const mount of flags.mounts) {
        const options = Object.fromEntries(
          mount.split(',').map((option) => option.split('=') as [string, string]),
        );
        if (options.type === 'ssh' || options.type === 'secret')
          refuse(
            `RUN --mount=type=${options.type} is not allowed: the Worker hands builds no keys or secrets`,
          );
        if (options.from) from(options.from, 'RUN --mount from');
      }
    }
  }
  return problems;
}

interface Instruction {
  line: number;
  instruction: string;
  rest: string;
}

/** The instructions of a Dockerfile, continuation lines joined, comments and parser directives taken out. */
function instructions(text: string, problems: string[]): Instruction[] {
  const lines = text.split(/\r?\n/);
  let escape = '\\';
  let directives = true;
  const found: Instruction[] = [];
  for (let index = 0; index < lines.length; index++) {
    const directive = /^#\s*([a-zA-Z]+)\s*=\s*(.*?)\s*$/.exec(lines[index]);
    if (directives && directive) {
      const name = directive[1].toLowerCase();
      if (name === 'escape') escape = directive[2] || '\\';
      if (name === 'syntax')
        problems.push(
          `line ${index + 1}: # syntax= is not allowed: it runs a builder frontend of the file's choosing`,
        );
      continue;
    }
    directives = false;
    if (/^\s*(#|$)/.test(lines[index])) continue;
    const start = index;
    let joined = lines[index];
    while (joined.trimEnd().endsWith(escape) && index + 1 < lines.length) {
      joined = joined.trimEnd().slice(0, -escape.length) + ' ' + lines[++index];
    }
    const match = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(joined);
    if (!match) continue;
    const [instruction, rest] = [match[1].toUpperCase(), match[2]];
    // An ONBUILD instruction runs in the builds that start FROM this image: it is judged as its own.
    if (instruction === 'ONBUILD')
      found.push(...instructions(rest, problems).map((inner) => ({ ...inner, line: start + 1 })));
    else found.push({ line: start + 1, instruction, rest });
  }
  return found;
}

/** `--name=value` flags before an instruction's arguments (`--mount` may repeat), and the arguments. */
function flagsOf(rest: string): {
  flags: { from?: string; network?: string; mounts: string[] };
  args: string[];
} {
  const words = rest.trim().split(/\s+/).filter(Boolean);
  const flags: { from?: string; network?: string; mounts: string[] } = { mounts: [] };
  while (words[0]?.startsWith('--')) {
    const [name, ...value] = words.shift()!.slice(2).split('=');
    const text = value.join('=');
    if (name === 'from') flags.from = text;
    if (name === 'network') flags.network = text;
    if (name === 'mount') flags.mounts.push(text);
  }
  return { flags, args: words };
}
