import { z } from 'zod';
import { NODE_NAME, nodeNameProblem } from '@testausdeploy/domain';
import { named } from '../../http/named';

/** Body of a move (`POST /projects/:org/:repo/move`, `POST /containers/:name/move`): the Worker to run on. */
export const moveBody = z.object({ node: named(NODE_NAME, nodeNameProblem) }).strict();
export type MoveBody = z.infer<typeof moveBody>;
