import { useEffect, useState } from 'react';
import { ApiError } from './api/client';
import { signOut, whoAmI, type WhoAmI } from './api/session';
import { Action } from './components/action';
import { LiveEvents, LiveNotice } from './components/live';
import { Problem } from './components/problem';
import { asApiError } from './components/resource';
import { FailingNotifications } from './pages/notifications/failing-notice';
import { SignIn } from './pages/sign-in';
import { home, ROUTES } from './routes';
import { Link, match, navigate, useLocation } from './router';

type Session =
  | { state: 'checking' }
  | { state: 'out' }
  | { state: 'in'; me: WhoAmI }
  | { state: 'failed'; error: ApiError };

/**
 * Asked as soon as the script runs, before anything is drawn, since every page waits for it; the first check
 * takes this answer, later ones ask again.
 */
let firstAnswer: Promise<WhoAmI> | undefined = whoAmI();
firstAnswer.catch(() => undefined);

/** The dashboard: who is signed in decides what is offered; the API decides what is allowed. */
export function App() {
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const check = () => {
    const asked = firstAnswer ?? whoAmI();
    firstAnswer = undefined;
    return asked.then(
      (me) => setSession({ state: 'in', me }),
      (error: unknown) => {
        const failure = asApiError(error);
        setSession(failure.status === 401 ? { state: 'out' } : { state: 'failed', error: failure });
      },
    );
  };
  // When the live events end or drop: signed out elsewhere, expired or removed means the sign-in page again.
  const recheck = () =>
    whoAmI().then(
      (me) => setSession({ state: 'in', me }),
      (error: unknown) => asApiError(error).status === 401 && setSession({ state: 'out' }),
    );
  useEffect(() => {
    check();
  }, []);
  if (session.state === 'checking')
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  if (session.state === 'failed')
    return (
      <main id="main">
        <Problem error={session.error} retry={check} />
      </main>
    );
  if (session.state === 'out') {
    return <SignIn signedIn={(me) => setSession({ state: 'in', me })} />;
  }
  return (
    <LiveEvents key={`${session.me.actor}/${session.me.role}`} lost={recheck}>
      <Shell me={session.me} signedOut={() => setSession({ state: 'out' })} />
    </LiveEvents>
  );
}

function Shell({ me, signedOut }: { me: WhoAmI; signedOut: () => void }) {
  const location = useLocation();
  const path = location.split('?')[0];
  const offered = ROUTES.filter((route) => me.role === 'admin' || !route.admin);
  const found = ROUTES.map((route) => ({ route, params: match(route.pattern, path) })).find(
    (one) => one.params,
  );
  useEffect(() => {
    if (path === '/' && me.role !== 'admin') navigate(home(me), true);
  }, [path, me]);
  return (
    <>
      <a className="skip" href="#main">
        Skip to the content
      </a>
      <header className="top">
        <Link to={home(me)} className="brand">
          Testausdeploy
        </Link>
        <nav aria-label="Pages">
          <ul>
            {offered
              .filter((route) => route.label)
              .map((route) => (
                <li key={route.pattern}>
                  <Link to={route.pattern} aria-current={route.pattern === path ? 'page' : undefined}>
                    {route.label}
                  </Link>
                </li>
              ))}
          </ul>
        </nav>
        <div className="me">
          <span>
            {me.actor} <span className="muted">({me.role})</span>
          </span>
          <Action run={signOut} done={signedOut}>
            Sign out
          </Action>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <LiveNotice />
        <FailingNotifications />
        {!found ? (
          <NotHere text="There is no such page." me={me} />
        ) : found.route.admin && me.role !== 'admin' ? (
          <NotHere text="This page is for admins." me={me} />
        ) : (
          found.route.page(found.params ?? {}, me)
        )}
      </main>
    </>
  );
}

function NotHere({ text, me }: { text: string; me: WhoAmI }) {
  return (
    <div className="card">
      <h1>{text}</h1>
      <Link to={home(me)}>Go to your start page</Link>
    </div>
  );
}
