import { IcpError, IcpErrorCode } from '@testausdeploy/icp';
import { LxdError } from './lxd/lxd-error';

/**
 * LXD's refusals as ICP errors, with LXD's own message: an unknown instance, snapshot or image is
 * `not_found`, a name that is taken is `conflict`, anything else `command_failed`.
 */
export function asIcpError(err: unknown): unknown {
  if (!(err instanceof LxdError)) return err;
  if (err.status === 404) return new IcpError(IcpErrorCode.NotFound, err.message);
  if (err.status === 409 || /already exists/i.test(err.message))
    return new IcpError(IcpErrorCode.Conflict, err.message);
  return new IcpError(IcpErrorCode.CommandFailed, err.message);
}

export const notFound = (what: string) => new IcpError(IcpErrorCode.NotFound, `${what} not found`);
export const conflict = (reason: string) => new IcpError(IcpErrorCode.Conflict, reason);
export const quotaExceeded = (reason: string) => new IcpError(IcpErrorCode.QuotaExceeded, reason);
