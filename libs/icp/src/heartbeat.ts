import { WebSocket } from 'ws';

/**
 * Pings the peer every `intervalMs` and terminates the connection when a ping goes unanswered until the next:
 * a peer that vanished without closing (a half-open connection, a hung process) is noticed within two intervals.
 */
export class Heartbeat {
  private readonly timer: NodeJS.Timeout;
  private answered = true;

  constructor(
    private readonly ws: WebSocket,
    intervalMs: number,
    onDead: () => void,
  ) {
    ws.on('pong', () => (this.answered = true));
    this.timer = setInterval(() => {
      if (!this.answered) {
        this.stop();
        onDead();
        ws.terminate();
        return;
      }
      this.answered = false;
      ws.ping();
    }, intervalMs);
    this.timer.unref();
    ws.once('close', () => this.stop());
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Whether the peer answers a ping within `timeoutMs`. */
export function answersPing(ws: WebSocket, timeoutMs: number): Promise<boolean> {
  if (ws.readyState !== WebSocket.OPEN) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (alive: boolean) => {
      clearTimeout(timer);
      ws.off('pong', onPong);
      ws.off('close', onClose);
      resolve(alive);
    };
    const onPong = () => done(true);
    const onClose = () => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    ws.on('pong', onPong);
    ws.once('close', onClose);
    ws.ping();
  });
}
