import { InvalidInput } from '../errors';

export type NodeKind = 'worker' | 'guardian';

export interface NodeEnrolmentProps {
  name: string;
  kind: NodeKind;
  /** Where the Manager dials the node: `wss://host:port`. */
  url: string;
  /** The node's pinned public-key fingerprint: SHA-256 of its certificate's SubjectPublicKeyInfo, hex. */
  fingerprint: string;
  /** A Worker's Guardian (by name); null for a Guardian. */
  guardian: string | null;
}

export const NODE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const FINGERPRINT = /^[0-9a-f]{64}$/;
/** What normaliseFingerprint takes: 64 hex digits, in either case, with any colons between them. */
export const FINGERPRINT_INPUT = /^(?::*[0-9A-Fa-f]){64}:*$/;

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const GROUP = '[0-9A-Fa-f]{1,4}';
/**
 * The addresses the API's schema describes: `wss://` and a host name (its last label starting with a letter, so
 * it is no IPv4 address; no IDNA `xn--` labels), a dotted IPv4 address or a bracketed IPv6 one, and a port.
 * A subset of what checkUrl accepts, so a request the schema allows is never refused here.
 */
export const NODE_URL = new RegExp(
  `^wss://(?:(?:(?![Xx][Nn]--)[A-Za-z0-9-]{1,63}\\.)*(?![Xx][Nn]--)[A-Za-z][A-Za-z0-9-]{0,62}|(?:${OCTET}\\.){3}${OCTET}|` +
    `\\[(?:(?:${GROUP}:){7}${GROUP}|::(?:${GROUP}(?::${GROUP}){0,6})?|(?:${GROUP}:){1,7}:|` +
    `(?:${GROUP}:){1,3}(?::${GROUP}){1,3})\\])` +
    '(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?/?$',
);

export function nodeNameProblem(name: string): string | undefined {
  if (NODE_NAME.test(name)) return undefined;
  return `"${name}" is not a valid node name (lower-case letters, digits and "-", at most 63, not starting or ending with "-")`;
}

/** Normalises a fingerprint (lower case, no colons) or says what is wrong with it. */
export function normaliseFingerprint(fingerprint: string): string {
  const normal = fingerprint.replace(/:/g, '').toLowerCase();
  if (!FINGERPRINT.test(normal)) {
    throw new InvalidInput(
      "fingerprint must be the SHA-256 of the node's public key: 64 hex digits (`main.js fingerprint` prints it)",
    );
  }
  return normal;
}

/** Why the API's schema refuses `url` (NODE_URL): checkUrl's reason, or what the pattern asks beyond it. */
export function nodeUrlProblem(url: string): string {
  try {
    checkUrl(url);
  } catch (error) {
    return (error as Error).message;
  }
  return `url "${url}" must be wss:// and a host name, an IPv4 address or a bracketed IPv6 one, and a port`;
}

/** A `wss://host:port` address with nothing else in it: no credentials, path, query or fragment. */
function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInput(`url "${url}" is not a URL; expected wss://host:port`);
  }
  if (parsed.protocol !== 'wss:') throw new InvalidInput(`url "${url}" must use wss:// (ICP is TLS only)`);
  if (parsed.username || parsed.password) throw new InvalidInput(`url "${url}" must not carry credentials`);
  if (parsed.pathname !== '/' || parsed.search || parsed.hash) {
    throw new InvalidInput(`url "${url}" must be wss://host:port, without a path, query or fragment`);
  }
  return `wss://${parsed.host}`;
}

/** What enrolling a node states about it, checked. Whether a named Guardian exists is the registry's question. */
export class NodeEnrolment {
  private constructor(readonly props: Readonly<NodeEnrolmentProps>) {}

  static create(input: Omit<NodeEnrolmentProps, 'guardian'> & { guardian?: string | null }): NodeEnrolment {
    const problem = nodeNameProblem(input.name);
    if (problem) throw new InvalidInput(problem);
    const guardian = input.guardian ?? null;
    if (input.kind === 'worker' && guardian === null) {
      throw new InvalidInput(
        `worker "${input.name}" needs a guardian: the Guardian that owns its host's firewall`,
      );
    }
    if (input.kind === 'guardian' && guardian !== null) {
      throw new InvalidInput(`guardian "${input.name}" cannot have a guardian`);
    }
    if (guardian !== null && nodeNameProblem(guardian)) throw new InvalidInput(nodeNameProblem(guardian));
    return new NodeEnrolment({
      name: input.name,
      kind: input.kind,
      url: checkUrl(input.url),
      fingerprint: normaliseFingerprint(input.fingerprint),
      guardian,
    });
  }
}
