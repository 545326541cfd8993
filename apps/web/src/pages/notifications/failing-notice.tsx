import { inStreams } from '../../api/live';
import { failing, listChannels } from '../../api/notifications';
import { useResource } from '../../components/resource';
import { Link } from '../../router';

/**
 * Said out loud at the top of every page: the channels whose messages are not getting through (failures must not
 * be silent: a notice of a failed backup that never arrives is how backups are lost).
 */
export function FailingNotifications() {
  const channels = useResource(listChannels, 'channels', {
    everyMs: 15_000,
    refreshOn: inStreams('notification-channel-'),
  });
  if (channels.state !== 'ready') return null;
  const bad = channels.data.filter(failing);
  if (bad.length === 0) return null;
  return (
    <div className="problem" role="alert">
      <strong>Notifications are not getting through</strong> to{' '}
      {bad.map((one, index) => (
        <span key={one.id}>
          {index > 0 && ', '}
          <Link to={`/notifications/${one.id}`}>{one.name}</Link>
          {one.deliveries.failedSinceDelivered > 0
            ? ` (${one.deliveries.failedSinceDelivered} given up)`
            : ' (retrying)'}
          {one.deliveries.lastError && `: ${one.deliveries.lastError.error}`}
        </span>
      ))}
      .
    </div>
  );
}
