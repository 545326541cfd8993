import { useState } from 'react';
import { signIn, signInProviders, signInRefusal, type WhoAmI } from '../api/session';
import { Field, Form } from '../components/form';
import { useResource } from '../components/resource';

/** Why a sign-in through GitHub or OIDC was refused: the Manager sends the browser back with an id to ask by. */
const refusalId = new URLSearchParams(window.location.search).get('signInRefusal');

/**
 * Trades an API token for a session cookie, or sends the browser to GitHub or the OIDC provider, which send it
 * back signed in (or with the reason they were refused). The token is sent once, in the body of POST /session;
 * it is not kept anywhere in the page (no storage, no URL).
 */
export function SignIn({ signedIn }: { signedIn: (me: WhoAmI) => void }) {
  const [token, setToken] = useState('');
  const providers = useResource(signInProviders, 'sign-in-providers');
  const offered = providers.state === 'ready' ? providers.data : { github: false, oidc: null };
  const refused = useResource(
    () => (refusalId ? signInRefusal(refusalId).then(({ reason }) => reason) : Promise.resolve(null)),
    'sign-in-refusal',
  );
  const problem = refused.state === 'ready' ? refused.data : null;
  return (
    <main className="sign-in" id="main">
      <h1>Testausdeploy</h1>
      {problem && (
        <p className="problem" role="alert">
          Not signed in: {problem}
        </p>
      )}
      {(offered.github || offered.oidc) && (
        <div className="toolbar">
          {offered.github && (
            <a className="button primary" href="/session/github">
              Sign in with GitHub
            </a>
          )}
          {offered.oidc && (
            <a className="button primary" href="/session/oidc">
              Sign in with {offered.oidc.name}
            </a>
          )}
        </div>
      )}
      <p className="muted">
        Sign in with the API token an admin gave you{offered.github || offered.oidc ? ', or above' : ''}.
      </p>
      <Form
        label="Sign in"
        submit={async () => {
          const me = await signIn(token.trim());
          setToken('');
          signedIn(me);
        }}
      >
        <Field
          label="API token"
          type="password"
          value={token}
          set={setToken}
          autoComplete="off"
          spellCheck={false}
          required
          autoFocus
        />
      </Form>
    </main>
  );
}
