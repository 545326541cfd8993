import { useState } from 'react';
import { signIn, type WhoAmI } from '../api/session';
import { Field, Form } from '../components/form';

/**
 * Trades an API token for a session cookie. The token is sent once, in the body of POST /session; it is not
 * kept anywhere in the page (no storage, no URL).
 */
export function SignIn({ signedIn }: { signedIn: (me: WhoAmI) => void }) {
  const [token, setToken] = useState('');
  return (
    <main className="sign-in" id="main">
      <h1>Testausdeploy</h1>
      <p className="muted">Sign in with the API token an admin gave you.</p>
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
