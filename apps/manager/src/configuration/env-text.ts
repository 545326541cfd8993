import { VARIABLE_NAME } from '@testausdeploy/domain';
import { VALUE_RULE, variableValue } from './dto/configuration.dto';

/** A line of the text that sets nothing, by its number only: the line may hold a secret. */
export interface SkippedLine {
  line: number;
  reason: string;
}

/**
 * The variables of a `.env` text: `NAME=value` a line, `export ` before it allowed, blank lines and `#` comments
 * passed over; a value in quotes may go on over the lines after it until its closing quote (a PEM key), and the
 * quotes are taken off; a name set twice takes its last value, as a shell would. Any other line is skipped and
 * said by its number and why, never by what it holds. A quote never closed ends the reading there: the lines
 * after it belong to that value, and none of them may be taken for a variable of its own.
 */
export function parseEnvText(text: string): {
  variables: { name: string; value: string }[];
  skipped: SkippedLine[];
} {
  const variables = new Map<string, string>();
  const skipped: SkippedLine[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    if (line === '' || line.startsWith('#')) continue;
    const skip = (reason: string) => skipped.push({ line: index + 1, reason });
    const match = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      skip('not NAME=value');
      continue;
    }
    const [, name, rest] = match;
    let value = rest;
    const quote = rest[0] === '"' || rest[0] === "'" ? rest[0] : null;
    const closed = /^(['"])(.*)\1\s*(?:#.*)?$/.exec(rest);
    if (closed) {
      value = closed[2];
    } else if (quote) {
      const end = lines.findIndex((later, at) => at > index && later.trimEnd().endsWith(quote));
      if (end < 0) {
        skip('its quote is never closed: the lines after it were not read');
        break;
      }
      const last = lines[end].trimEnd();
      value = [rest.slice(1), ...lines.slice(index + 1, end), last.slice(0, -1)].join('\n');
      index = end;
    }
    if (!VARIABLE_NAME.test(name)) skip("not a variable's name");
    else if (!variableValue.safeParse(value).success) {
      skip(`its value is not ${VALUE_RULE}`);
    } else {
      variables.delete(name);
      variables.set(name, value);
    }
  }
  return { variables: [...variables].map(([name, value]) => ({ name, value })), skipped };
}
