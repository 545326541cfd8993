import { createPrivateKey, KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { TLSSocket } from 'node:tls';

/**
 * Public-key authentication on top of mutual TLS. Once the WebSocket is open the server sends a fresh nonce;
 * the client signs it together with a value both ends derive from this very TLS session (a TLS 1.3 keying
 * material exporter, RFC 5705 / RFC 9266), and the server checks the signature with the pinned key of the
 * certificate the client presented. A signature is good for one nonce on one TLS session: replayed elsewhere,
 * or relayed by anyone in the middle of a different TLS session, it does not verify.
 */
const LABEL = 'EXPORTER-testausdeploy-icp-authentication';
const CONTEXT = 'testausdeploy-icp-authentication-v1';

export function newNonce(): string {
  return randomBytes(32).toString('base64url');
}

/** What the client signs: the protocol's context string, the nonce and the TLS session's exporter value. */
function signedBytes(socket: TLSSocket, nonce: string): Buffer {
  const binding = socket.exportKeyingMaterial(32, LABEL, Buffer.from(CONTEXT));
  return Buffer.concat([Buffer.from(`${CONTEXT}\n${nonce}\n`), binding]);
}

export function signChallenge(privateKeyPem: string, socket: TLSSocket, nonce: string): string {
  return sign('sha256', signedBytes(socket, nonce), createPrivateKey(privateKeyPem)).toString('base64');
}

export function verifyChallenge(
  publicKey: KeyObject,
  socket: TLSSocket,
  nonce: string,
  signature: string,
): boolean {
  try {
    return verify('sha256', signedBytes(socket, nonce), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
