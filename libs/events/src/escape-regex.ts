/** `text` as a regular expression that matches it literally: for prefix queries on stream ids. */
export const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
