/** A status as a labelled badge whose colour follows its meaning. */
export function Status({ value }: { value: string }) {
  return <span className={`status status-${value}`}>{value}</span>;
}
