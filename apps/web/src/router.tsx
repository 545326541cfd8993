import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/** Every page lives under this path of the Manager (DASHBOARD_PATH there); no API route does. */
export const BASE = '/ui';

const CHANGED = 'td:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGED, onChange);
  };
}

const location = () => window.location.pathname + window.location.search;

/** The page's path below /ui with its query (`/deployments?x=1`); re-renders on every navigation. */
export function useLocation(): string {
  const full = useSyncExternalStore(subscribe, location);
  return full.startsWith(BASE) ? full.slice(BASE.length) || '/' : '/';
}

/** Goes to `to` (a path below /ui) without reloading, as a link would. */
export function navigate(to: string, replace = false): void {
  const url = BASE + to;
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(CHANGED));
  window.scrollTo(0, 0);
}

/**
 * The parameters of `pattern` (`/deployments/:id`) in `path`, or null when it does not match. Parameters are
 * decoded; a malformed escape does not match.
 */
export function match(pattern: string, path: string): Record<string, string> | null {
  const wanted = pattern.split('/');
  const got = path.split('?')[0].split('/');
  if (wanted.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of wanted.entries()) {
    if (part.startsWith(':')) {
      try {
        params[part.slice(1)] = decodeURIComponent(got[index]);
      } catch {
        return null;
      }
      if (!params[part.slice(1)]) return null;
    } else if (part !== got[index]) return null;
  }
  return params;
}

/** The query of the current location as an object. */
export function useQuery(): URLSearchParams {
  return new URLSearchParams(useLocation().split('?')[1] ?? '');
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string };

/** A real link (opens in a new tab, copies) that navigates in place on a plain click. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={BASE + to} onClick={follow} {...rest} />;
}
