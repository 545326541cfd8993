import { useState } from 'react';

/**
 * The command that logs in to a member's container, ready to copy. The container's SSH port is forwarded on
 * the host that serves this page, so the page's own host name is the one to dial.
 */
export function SshLine({ user, port }: { user: string; port: number }) {
  const line = `ssh -p ${port} ${user}@${window.location.hostname}`;
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(line);
    setCopied(true);
  };
  return (
    <div className="ssh-line">
      <code aria-label="SSH command">{line}</code>
      <button type="button" onClick={copy}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
