/** Bytes as MiB with one decimal, or a dash where the figure is not known. */
export const mib = (bytes: number | null) => (bytes === null ? '—' : `${(bytes / 1048576).toFixed(1)} MiB`);

/** Bytes as GiB with one decimal: a disk's or a host's memory. */
export const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
