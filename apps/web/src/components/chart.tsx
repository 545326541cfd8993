import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: (number | null)[];
  /** A CSS custom property holding the colour, so light and dark follow the system. */
  colour: string;
}

/**
 * A line chart of `series` over `days` (ISO dates), drawn by uPlot into a canvas; a table of the same figures
 * beside it is what screen readers read (the canvas is hidden from them).
 */
export function DailyChart({ days, series, title }: { days: string[]; series: Series[]; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element || days.length === 0) return;
    const style = getComputedStyle(element);
    const colour = (name: string) => style.getPropertyValue(name).trim() || 'gray';
    const text = colour('--text-muted');
    const axis = {
      stroke: text,
      grid: { stroke: colour('--border') },
      ticks: { stroke: colour('--border') },
    };
    const plot = new uPlot(
      {
        width: Math.max(element.clientWidth, 280),
        height: 220,
        axes: [axis, axis],
        scales: { x: { time: true } },
        series: [
          {},
          ...series.map((one) => ({
            label: one.label,
            stroke: colour(one.colour),
            width: 2,
            points: { show: true },
          })),
        ],
      },
      [days.map((day) => Date.parse(day) / 1000), ...series.map((one) => one.values)],
      element,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(element.clientWidth, 280), height: 220 }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days, series]);
  if (days.length === 0) return <p className="empty">No deploys yet.</p>;
  return (
    <figure className="chart">
      <div ref={box} aria-hidden="true" />
      <figcaption className="visually-hidden">{title}</figcaption>
    </figure>
  );
}
