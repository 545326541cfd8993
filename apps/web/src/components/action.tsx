import { useState, type ReactNode } from 'react';
import type { ApiError } from '../api/client';
import { asApiError } from './resource';
import { Problem } from './problem';

/**
 * A button that runs an API call: disabled while it runs, the API's reason shown beside it when it is refused.
 */
export function Action({
  run,
  done,
  children,
  className,
  disabled,
}: {
  run: () => Promise<unknown>;
  done?: (result: unknown) => void;
  children: ReactNode;
  className?: string;
  disabled?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const click = async () => {
    setBusy(true);
    setError(undefined);
    try {
      done?.(await run());
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="action">
      <button
        type="button"
        className={className}
        onClick={click}
        disabled={busy || disabled}
        aria-busy={busy}
      >
        {children}
      </button>
      {error && <Problem error={error} />}
    </span>
  );
}
