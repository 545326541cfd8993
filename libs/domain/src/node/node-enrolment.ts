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

const NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const FINGERPRINT = /^[0-9a-f]{64}$/;

export function nodeNameProblem(name: string): string | undefined {
  if (NAME.test(name)) return undefined;
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
