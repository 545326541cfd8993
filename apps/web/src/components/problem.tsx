import type { ApiError } from '../api/client';

/** The API's refusal as it gave it, with its status, and a way to try again where that makes sense. */
export function Problem({ error, retry }: { error: ApiError; retry?: () => void }) {
  return (
    <div className="problem" role="alert">
      <strong>{error.status ? `Refused (${error.status})` : 'Failed'}:</strong> {error.message}
      {retry && (
        <button type="button" className="link" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
