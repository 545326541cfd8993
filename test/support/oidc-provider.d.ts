/** The parts of `oidc-provider` (which ships no types) the tests' OpenID Connect provider uses. */
declare module 'oidc-provider' {
  import type { RequestListener } from 'node:http';

  export default class Provider {
    constructor(issuer: string, configuration: object);
    callback(): RequestListener;
  }
}
