import { performance } from 'node:perf_hooks';

export function now(): number {
  return performance.now();
}

/** Runs `work` and returns its result with the elapsed milliseconds. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = now();
  const result = await work();
  return { ms: now() - start, result };
}

/** Runs `writers` loops concurrently, handing out indexes 0..total-1 to whichever is free; returns elapsed ms. */
export async function concurrently(
  writers: number,
  total: number,
  step: (writer: number, index: number) => Promise<void>,
): Promise<number> {
  let handed = 0;
  const start = now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let index = handed++; index < total; index = handed++) await step(writer, index);
    }),
  );
  return now() - start;
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface Row {
  figure: string;
  store: number;
  baseline: number;
  unit: string;
  /** Higher is better (throughput) or lower (latency, time); decides the ratio's direction. */
  better: 'higher' | 'lower';
  /** Minimum ratio, if this figure has a goal. */
  goal?: number;
  /** An extra upper bound in `unit` on the store's figure (e.g. replay under 60 s). */
  limit?: number;
}

/** Store relative to baseline, so that 1.0 is as good as the baseline and less is worse. */
export function ratio(row: Row): number {
  return row.better === 'higher' ? row.store / row.baseline : row.baseline / row.store;
}

export function met(row: Row): boolean | undefined {
  if (row.goal === undefined && row.limit === undefined) return undefined;
  const ratioOk = row.goal === undefined || ratio(row) >= row.goal;
  const limitOk = row.limit === undefined || row.store <= row.limit;
  return ratioOk && limitOk;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** The figures as a Markdown table; `subject` names the column of what is measured against the baseline. */
export function table(rows: Row[], subject: string): string {
  const header = ['figure', subject, 'baseline', 'unit', 'ratio', 'goal', 'met'];
  const lines = rows.map((row) => {
    const ok = met(row);
    const goal = [
      row.goal === undefined ? '' : `>= ${Number(row.goal.toFixed(2))}`,
      row.limit === undefined ? '' : `store <= ${row.limit} ${row.unit}`,
    ]
      .filter(Boolean)
      .join(', ');
    return [
      row.figure,
      format(row.store),
      format(row.baseline),
      row.unit,
      ratio(row).toFixed(2),
      goal || '-',
      ok === undefined ? '-' : ok ? 'met' : 'MISSED',
    ];
  });
  const widths = header.map((_, column) =>
    Math.max(...[header, ...lines].map((line) => line[column].length)),
  );
  const render = (line: string[]) =>
    `| ${line.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [
    render(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...lines.map(render),
  ].join('\n');
}

/** Runs a benchmark's `main`, exiting 0 when it ends and 1 with its stack on stderr when it fails. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
      process.exit(1);
    },
  );
}
