import type { ReactNode } from 'react';

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
export function Table<T>({
  rows,
  columns,
  rowKey,
  current,
}: {
  rows: T[];
  columns: (Column<T> | false)[];
  rowKey: (row: T) => string | number;
  current?: (row: T) => boolean;
}) {
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
