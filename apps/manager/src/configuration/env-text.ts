import { VARIABLE_NAME, VARIABLE_VALUE_BYTES, variableValue } from './dto/configuration.dto';

/** A line of the text that sets nothing, by its number only: the line may hold a secret. */
export interface SkippedLine {
  line: number;
  reason: string;
}

/**
 * The variables of a `.env` text: `NAME=value` a line, `export ` before it allowed, blank lines and `#` comments
 * passed over, one pair of matching quotes around a value taken off; a name set twice takes its last value, as a
 * shell would. Any other line is skipped and said by its number and why, never by what it holds.
 */
export function parseEnvText(text: string): {
  variables: { name: string; value: string }[];
  skipped: SkippedLine[];
} {
  const variables = new Map<string, string>();
  const skipped: SkippedLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const skip = (reason: string) => skipped.push({ line: index + 1, reason });
    const match = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!match) return skip('not NAME=value');
    const [, name, rest] = match;
    if (!VARIABLE_NAME.test(name)) return skip("not a variable's name");
    const quoted = /^(['"])(.*)\1$/.exec(rest);
    const value = quoted ? quoted[2] : rest;
    if (!variableValue.safeParse(value).success) {
      return skip(`its value is over ${VARIABLE_VALUE_BYTES} characters, or holds NUL`);
    }
    variables.delete(name);
    variables.set(name, value);
  });
  return { variables: [...variables].map(([name, value]) => ({ name, value })), skipped };
}
