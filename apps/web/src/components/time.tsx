const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A time in the viewer's zone, with the exact time (to the millisecond, with its zone) on hover. */
export function Time({ at }: { at: string | null | undefined }) {
  if (!at) return <span className="muted">—</span>;
  const date = new Date(at);
  return (
    <time dateTime={at} title={`${date.toString()} (${at})`}>
      {format.format(date)}
    </time>
  );
}
