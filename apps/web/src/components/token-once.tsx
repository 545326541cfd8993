/** A token the API gave once: shown here once, never stored. */
export function TokenOnce({ name, token, dismiss }: { name: string; token: string; dismiss: () => void }) {
  return (
    <div className="notice" role="status">
      <p>
        The token of <strong>{name}</strong>, shown this once. Give it to them now:
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
