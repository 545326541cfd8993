import { containerUpcasters } from './container/container.upcasters';
import { deploymentUpcasters } from './deployment/deployment.upcasters';
import { memberUpcasters } from './member/member.upcasters';

/** Every schema change of the domain's events, for the event store to apply as it reads. */
export const domainUpcasters = [...deploymentUpcasters, ...memberUpcasters, ...containerUpcasters];
