export * from './commands';
export * from './command-dispatcher';
export * from './frames';
export * from './identity';
export * from './icp-client';
export * from './icp-server';
export * from './icp-host';
export * from './trust';
