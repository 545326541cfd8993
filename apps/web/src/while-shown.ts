/**
 * Runs `start` now, stops what it started when the page is hidden, and starts it again when the page comes back
 * from the back/forward cache. A page kept in that cache would otherwise keep its long requests open, each
 * holding one of the six connections a browser opens to a host over HTTP/1.1: after a few navigations none
 * would be left for the next page. Returns the function that stops for good.
 */
export function whileShown(start: () => () => void): () => void {
  let stop: (() => void) | undefined = start();
  const hide = () => {
    stop?.();
    stop = undefined;
  };
  const show = (event: PageTransitionEvent) => {
    if (event.persisted && !stop) stop = start();
  };
  window.addEventListener('pagehide', hide);
  window.addEventListener('pageshow', show);
  return () => {
    window.removeEventListener('pagehide', hide);
    window.removeEventListener('pageshow', show);
    hide();
  };
}
