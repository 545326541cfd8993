/** Newer and Older buttons with the page's number between them; `label` names the list for screen readers. */
export function Pager({
  label,
  page,
  newer,
  older,
}: {
  label: string;
  /** The page shown, counted from 1. */
  page: number;
  newer?: () => void;
  older?: () => void;
}) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" onClick={newer} disabled={!newer}>
        Newer
      </button>
      <span>Page {page}</span>
      <button type="button" onClick={older} disabled={!older}>
        Older
      </button>
    </nav>
  );
}

/** How many rows a page of a list held in the page shows. */
export const ROWS_PER_PAGE = 25;
