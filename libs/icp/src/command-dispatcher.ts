import { RawData, WebSocket } from 'ws';
import { icpCommands, IcpCommand, IcpData, IcpResult, isIcpCommand } from './commands';
import { asFrame, ERROR, Frame, IcpError, IcpErrorCode, PROGRESS, REPLY } from './frames';
import { RecentOutcomes } from './recent-outcomes';

export interface CommandContext {
  /** Streams a line of progress (build output, export progress) back to the requester. */
  progress(line: string): void;
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
  private readonly outcomes = new RecentOutcomes();

  constructor(private readonly handlers: IcpHandlers) {}

  async receive(ws: WebSocket, raw: RawData, isBinary: boolean): Promise<void> {
    const request = parseFrame(raw, isBinary);
    if (request instanceof IcpError) return send(ws, { id: null, command: ERROR, data: errorOf(request) });
    const id = request.id as string;
    const checked = this.check(request);
    if (checked instanceof IcpError) return send(ws, { id, command: ERROR, data: errorOf(checked) });
    const outcome = await this.outcomes.run(
      id,
      request.command,
      (line) => send(ws, { id, command: PROGRESS, data: { line } }),
      (progress) => checked.handler(checked.data, { progress }),
    );
    send(
      ws,
      outcome.ok
        ? { id, command: REPLY, data: outcome.result }
        : { id, command: ERROR, data: errorOf(outcome.error) },
    );
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

export function send(ws: WebSocket, message: Frame): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
}
