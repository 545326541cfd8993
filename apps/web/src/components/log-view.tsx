import { useEffect, useRef } from 'react';

/**
 * Lines of output from a repository or a container, shown as text (never as HTML), kept scrolled to the end
 * while the reader is at the end. Focusable, so the keyboard scrolls it.
 */
export function LogView({ lines, label, empty }: { lines: string[]; label: string; empty: string }) {
  const box = useRef<HTMLPreElement>(null);
  const atEnd = useRef(true);
  useEffect(() => {
    if (box.current && atEnd.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines]);
  const onScroll = () => {
    const element = box.current;
    if (element) atEnd.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
  };
  return (
    <pre className="log" tabIndex={0} aria-label={label} ref={box} onScroll={onScroll}>
      {lines.length ? lines.join('\n') : empty}
    </pre>
  );
}
