export * from './env';
export * from './logging';
export * from './node-service';
export * from './node-main';
export * from './icp-node.providers';
export * from './version';
export * from './ipv4';
export * from './keyed-lock';
