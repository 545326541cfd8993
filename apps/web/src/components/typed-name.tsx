import { Field } from './form';

/** The field where a name is typed again before something that cannot be undone (a deletion). */
export function TypedName({
  name,
  typed,
  set,
}: {
  name: string;
  typed: string;
  set: (value: string) => void;
}) {
  return <Field label={`Type ${name}`} value={typed} set={set} autoComplete="off" spellCheck={false} />;
}
