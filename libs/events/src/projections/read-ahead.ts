/**
 * Yields what `source` yields, asking it for the next item as soon as the current one is handed out, so the
 * source's I/O overlaps with the consumer's work.
 */
export async function* readAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  try {
    for (;;) {
      const step = await next;
      if (step.done) return;
      next = source.next();
      yield step.value;
    }
  } finally {
    await next.catch(() => undefined);
    await source.return(undefined);
  }
}
