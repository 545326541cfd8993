import { useId, useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import type { ApiError } from '../api/client';
import { asApiError } from './resource';
import { Problem } from './problem';

/** A form whose submit runs an API call: the button says so while it runs, the API's reason shows under it. */
export function Form({
  submit,
  label,
  children,
  className,
  danger,
}: {
  submit: () => Promise<void>;
  label: string;
  children: ReactNode;
  className?: string;
  /** What the button does cannot be undone (a deletion): it says so by its colour. */
  danger?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await submit();
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className={className ?? 'form'} onSubmit={onSubmit}>
      {children}
      <div className="form-actions">
        <button type="submit" className={danger ? 'danger' : 'primary'} disabled={busy} aria-busy={busy}>
          {busy ? `${label}…` : label}
        </button>
      </div>
      {error && <Problem error={error} />}
    </form>
  );
}

/** A labelled input: the label names the control; a hint is its description, read after the name. */
export function Field({
  label,
  value,
  set,
  hint,
  ...input
}: {
  label: string;
  value: string;
  set: (value: string) => void;
  hint?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(event) => set(event.target.value)}
        aria-describedby={hint ? `${id}-hint` : undefined}
        {...input}
      />
      {hint && (
        <small className="muted" id={`${id}-hint`}>
          {hint}
        </small>
      )}
    </div>
  );
}
