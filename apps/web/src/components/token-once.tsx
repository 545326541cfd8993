import type { ReactNode } from 'react';

/** A secret the API gave once: shown here once, never stored. */
export function TokenOnce({
  name,
  token,
  dismiss,
  lead,
}: {
  name: string;
  token: string;
  dismiss: () => void;
  /** What the secret is and what to do with it; by default a token to hand to its member. */
  lead?: ReactNode;
}) {
  return (
    <div className="notice" role="status">
      <p>
        {lead ?? (
          <>
            The token of <strong>{name}</strong>, shown this once. Give it to them now:
          </>
        )}
      </p>
      <code className="token" aria-label={`Token of ${name}`}>
        {token}
      </code>
      <button type="button" onClick={dismiss}>
        Done
      </button>
    </div>
  );
}
