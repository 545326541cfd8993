/** Bytes as MiB with one decimal, or a dash where the figure is not known. */
export const mib = (bytes: number | null) => (bytes === null ? '—' : `${(bytes / 1048576).toFixed(1)} MiB`);
