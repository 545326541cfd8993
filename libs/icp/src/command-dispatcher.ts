import { RawData, WebSocket } from 'ws';
import { icpCommands, IcpCommand, IcpData, IcpResult, isIcpCommand } from './commands';
import {
  asFrame,
  CANCEL,
  ERROR,
  Frame,
  IcpError,
  IcpErrorCode,
  MAX_FRAME_BYTES,
  MAX_PROGRESS_LINE,
  PROGRESS,
  REPLY,
} from './frames';
import { Progress, RecentOutcomes } from './recent-outcomes';

export interface CommandContext {
  /** Streams a line of progress (build output, export progress) back to the requester. */
  progress(line: string): void;
  /**
   * Aborted when the client cancels the request (or nobody has listened to it for a while). A command that
   * can stop short (following a log) stops and returns or throws; one that must finish (a deploy) ignores it.
   */
  signal: AbortSignal;
}

export type IcpHandlers = {
  [C in IcpCommand]?: (data: IcpData<C>, context: CommandContext) => Promise<IcpResult<C>>;
};

type Handler = (data: unknown, context: CommandContext) => Promise<unknown>;

/**
 * Serves the requests of an authenticated session: checks each frame and its data against the command's
 * schema, runs the handler at most once per request id (a retried id gets the recorded outcome), and answers
 * with progress, a reply or an error. Nothing a peer sends can make it throw.
 */
export class CommandDispatcher {
  private readonly outcomes: RecentOutcomes;
  /** The requests each connection listens to, so they can be left when it closes. */
  private readonly listening = new WeakMap<WebSocket, Map<Progress, string>>();

  constructor(
    private readonly handlers: IcpHandlers,
    options: { abandonAfterMs?: number } = {},
  ) {
    this.outcomes = new RecentOutcomes(undefined, undefined, options.abandonAfterMs);
  }

  async receive(ws: WebSocket, raw: RawData, isBinary: boolean): Promise<void> {
    const request = parseFrame(raw, isBinary);
    if (request instanceof IcpError) return send(ws, { id: null, command: ERROR, data: errorOf(request) });
    const id = request.id as string;
    if (request.command === CANCEL) return this.outcomes.cancel(id);
    const checked = this.check(request);
    if (checked instanceof IcpError) return send(ws, { id, command: ERROR, data: errorOf(checked) });
    const listener = (line: string) => send(ws, { id, command: PROGRESS, data: { line: bounded(line) } });
    const listening = this.listen(ws);
    listening.set(listener, id);
    const outcome = await this.outcomes.run(id, request.command, listener, (progress, signal) =>
      checked.handler(checked.data, { progress, signal }),
    );
    listening.delete(listener);
    send(
      ws,
      outcome.ok
        ? { id, command: REPLY, data: outcome.result }
        : { id, command: ERROR, data: errorOf(outcome.error) },
    );
  }

  private listen(ws: WebSocket): Map<Progress, string> {
    let listening = this.listening.get(ws);
    if (!listening) {
      const requests = new Map<Progress, string>();
      ws.once('close', () => requests.forEach((id, listener) => this.outcomes.leave(id, listener)));
      this.listening.set(ws, (listening = requests));
    }
    return listening;
  }

  private check(request: Frame): { handler: Handler; data: unknown } | IcpError {
    const { command } = request;
    if (!isIcpCommand(command))
      return new IcpError(IcpErrorCode.UnknownCommand, `unknown command "${command}"`);
    const handler = this.handlers[command] as Handler | undefined;
    if (!handler)
      return new IcpError(IcpErrorCode.UnknownCommand, `this service does not serve "${command}"`);
    const data = icpCommands[command].data.safeParse(request.data);
    if (!data.success) {
      const issue = data.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      return new IcpError(
        IcpErrorCode.InvalidData,
        `invalid data for "${command}"${where}: ${issue?.message}`,
      );
    }
    return { handler, data: data.data };
  }
}

/** A request frame: JSON text `{ id: string, command: string, data }`, or the error to answer it with. */
export function parseFrame(raw: RawData, isBinary: boolean): Frame | IcpError {
  if (isBinary) return new IcpError(IcpErrorCode.MalformedFrame, 'frames are JSON text');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString());
  } catch {
    return new IcpError(IcpErrorCode.MalformedFrame, 'frame is not valid JSON');
  }
  const parsed = asFrame(json);
  if (!parsed || parsed.id === null) {
    return new IcpError(
      IcpErrorCode.MalformedFrame,
      'a request is { "id": string, "command": string, "data": any }',
    );
  }
  return parsed;
}

export function errorOf(error: IcpError) {
  return { code: error.code, message: error.message };
}

/**
 * Sends a frame, never one over MAX_FRAME_BYTES (the peer would close the connection on it, redial, and be sent
 * the same frame again): an answer that would be larger goes as an error instead.
 */
export function send(ws: WebSocket, message: Frame): void {
  if (ws.readyState !== WebSocket.OPEN) return;
  const text = JSON.stringify(message);
  if (Buffer.byteLength(text) <= MAX_FRAME_BYTES) return ws.send(text);
  const error = new IcpError(
    IcpErrorCode.CommandFailed,
    `the ${message.command} frame would be ${Buffer.byteLength(text)} bytes, over the ${MAX_FRAME_BYTES} a frame may hold`,
  );
  ws.send(JSON.stringify({ id: message.id, command: ERROR, data: errorOf(error) }));
}

/** A progress line of at most MAX_PROGRESS_LINE characters. */
function bounded(line: string): string {
  if (line.length <= MAX_PROGRESS_LINE) return line;
  return `${line.slice(0, MAX_PROGRESS_LINE)}… (${line.length - MAX_PROGRESS_LINE} more characters)`;
}
