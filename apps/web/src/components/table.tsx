import { useState, type ReactNode } from 'react';
import { Pager, ROWS_PER_PAGE } from './pager';

/** One column: its header, and what a row shows in it. */
export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** Class of its cells (`mono` for ids, digests, addresses). */
  className?: string;
}

/**
 * Rows under column headers, scrolling sideways on its own when the page is narrower than the table. Column
 * headers are `th scope="col"`; `current` marks the row of the page being shown.
 */
interface TableProps<T> {
  rows: T[];
  columns: (Column<T> | false)[];
  rowKey: (row: T) => string | number;
  current?: (row: T) => boolean;
}

export function Table<T>({ rows, columns, rowKey, current }: TableProps<T>) {
  const shown = columns.filter((column): column is Column<T> => column !== false);
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            {shown.map((column) => (
              <th scope="col" key={column.header}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} aria-current={current?.(row) ? 'page' : undefined}>
              {shown.map((column) => (
                <td key={column.header} className={column.className}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A table of rows the page holds all of, 25 at a time, with a pager (none while they fit on one page). */
export function PagedTable<T>({ label, ...table }: TableProps<T> & { label: string }) {
  const [index, setIndex] = useState(0);
  const pages = Math.max(1, Math.ceil(table.rows.length / ROWS_PER_PAGE));
  const at = Math.min(index, pages - 1);
  return (
    <>
      <Table {...table} rows={table.rows.slice(at * ROWS_PER_PAGE, (at + 1) * ROWS_PER_PAGE)} />
      {pages > 1 && (
        <Pager
          label={label}
          page={at + 1}
          newer={at > 0 ? () => setIndex(at - 1) : undefined}
          older={at + 1 < pages ? () => setIndex(at + 1) : undefined}
        />
      )}
    </>
  );
}
