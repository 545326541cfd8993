/** LXD's REST shapes (API 1.0, LXD 5.0), as far as the Worker reads them. Field names are LXD's own. */

export interface LxdResponse<T = unknown> {
  type: 'sync' | 'async' | 'error';
  status_code: number;
  error_code: number;
  error: string;
  metadata: T;
}

export type LxdOperationStatus = 'Running' | 'Success' | 'Failure' | 'Cancelled' | 'Pending' | string;

export interface LxdOperation<M = Record<string, unknown> | null> {
  id: string;
  class: 'task' | 'websocket' | 'token';
  description: string;
  status: LxdOperationStatus;
  /** 200 success, 400 failure, 401 cancelled; 100-199 still pending or running. */
  status_code: number;
  err: string;
  metadata: M;
  resources: Record<string, string[]> | null;
}

export type LxdConfig = Record<string, string>;
export type LxdDevices = Record<string, Record<string, string>>;

export interface LxdInstance {
  name: string;
  type: 'container' | 'virtual-machine';
  status: string;
  status_code: number;
  architecture: string;
  created_at: string;
  profiles: string[];
  config: LxdConfig;
  devices: LxdDevices;
  expanded_config: LxdConfig;
  expanded_devices: LxdDevices;
  ephemeral: boolean;
  stateful: boolean;
  description: string;
}

export interface LxdNetworkAddress {
  family: 'inet' | 'inet6';
  address: string;
  netmask: string;
  scope: 'global' | 'link' | 'local' | string;
}

export interface LxdInstanceState {
  status: string;
  status_code: number;
  pid: number;
  processes: number;
  cpu: { usage: number };
  memory: { usage: number; usage_peak: number; swap_usage: number; swap_usage_peak: number };
  disk: Record<string, { usage: number }> | null;
  network: Record<
    string,
    {
      addresses: LxdNetworkAddress[];
      hwaddr: string;
      host_name: string;
      state: string;
      type: string;
      counters: { bytes_received: number; bytes_sent: number };
    }
  > | null;
}

export interface LxdSnapshot {
  name: string;
  created_at: string;
  expires_at: string;
  stateful: boolean;
  /** Present on LXD 5.0 with recursion; "0" dates come as 0001-01-01T00:00:00Z. */
  size?: number;
}

export interface LxdBackup {
  name: string;
  created_at: string;
  expires_at: string;
  instance_only: boolean;
  optimized_storage: boolean;
}

export interface LxdImage {
  fingerprint: string;
  type: 'container' | 'virtual-machine';
  architecture: string;
  size: number;
  properties: Record<string, string>;
  aliases: { name: string; description: string }[];
  created_at: string;
  uploaded_at: string;
}

export interface LxdImageAlias {
  name: string;
  target: string;
  type: string;
  description: string;
}
