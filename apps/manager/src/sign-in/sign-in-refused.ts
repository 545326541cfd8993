/** A sign-in through GitHub or OIDC that is refused: the message is shown on the dashboard's sign-in page. */
export class SignInRefused extends Error {}
