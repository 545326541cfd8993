import { InvalidInput } from '@testausdeploy/domain';
import { VARIABLE_NAME, VARIABLE_VALUE_BYTES, variableValue } from './dto/configuration.dto';

/**
 * The variables of a `.env` text: `NAME=value` a line, `export ` before it allowed, blank lines and `#` comments
 * skipped, one pair of matching quotes around a value taken off. A refusal names the line by its number only:
 * the line may hold a secret.
 */
export function parseEnvText(text: string): { name: string; value: string }[] {
  const found: { name: string; value: string }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    const where = `line ${index + 1}`;
    if (!match) throw new InvalidInput(`${where}: not NAME=value`);
    const [, name, rest] = match;
    if (!VARIABLE_NAME.test(name)) throw new InvalidInput(`${where}: not a variable's name`);
    const quoted = /^(['"])(.*)\1$/.exec(rest);
    const value = quoted ? quoted[2] : rest;
    if (!variableValue.safeParse(value).success)
      throw new InvalidInput(`${where}: its value is over ${VARIABLE_VALUE_BYTES} characters, or holds NUL`);
    found.push({ name, value });
  });
  if (found.length === 0) throw new InvalidInput('text: no NAME=value line in it');
  return found;
}
