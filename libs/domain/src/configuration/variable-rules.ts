/**
 * What a project's variable may be, wherever it is checked: the API, the aggregate, the deploy command.
 */

/** An environment variable's name, as a shell and compose take it. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** A compose service's name, as compose takes it. */
export const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;

/** The longest value, in characters. */
export const VARIABLE_VALUE_CHARACTERS = 8192;

/**
 * Any text but control characters other than tab and line breaks: several lines too (a PEM key), never NUL
 * (no process's environment can hold it) nor the escapes a terminal would act on.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
export const VARIABLE_VALUE = /^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$/;

/**
 * Whether a value is text (no half of a UTF-16 surrogate pair on its own): one that is not has no UTF-8 form, and
 * compose's readers refuse the whole file for it.
 */
export const wellFormed = (value: string): boolean =>
  !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);

/**
 * A project's variables together: names and values, in UTF-8 bytes. They travel to the Worker in one deploy
 * command, whose frame holds 1 MiB: JSON at most doubles text without control characters, so this fits.
 */
export const MAX_CONFIGURATION_BYTES = 256 * 1024;
