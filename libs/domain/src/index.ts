export * from './aggregate-root';
export * from './errors';
export * from './deployment/deployment-source';
export * from './deployment/deployment.aggregate';
export * from './deployment/deployment.events';
export * from './deployment/git-names';
