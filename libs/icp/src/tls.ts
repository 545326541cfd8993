import { Identity } from './identity';

/** TLS 1.3 only, both directions; certificates are self-signed, so trust comes from pinning, not from a CA. */
export function tlsOptions(identity: Identity) {
  return {
    key: identity.key,
    cert: identity.cert,
    minVersion: 'TLSv1.3' as const,
    rejectUnauthorized: false,
  };
}
