import { TLSSocket } from 'node:tls';
import { Identity, publicKeyFingerprint } from './identity';

/** TLS 1.3 only, both directions; certificates are self-signed, so trust comes from pinning, not from a CA. */
export function tlsOptions(identity: Identity) {
  return {
    key: identity.key,
    cert: identity.cert,
    minVersion: 'TLSv1.3' as const,
    rejectUnauthorized: false,
  };
}

/** The pinned fingerprint of the peer at the other end of a TLS socket, or null if it sent no certificate. */
export function peerFingerprint(socket: TLSSocket): string | null {
  const peer = socket.getPeerX509Certificate();
  return peer ? publicKeyFingerprint(peer) : null;
}
