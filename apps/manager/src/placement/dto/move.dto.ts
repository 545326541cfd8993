import { z } from 'zod';
import { NODE_NAME, nodeNameProblem } from '@testausdeploy/domain';
import { named } from '../../http/named';

/** Body of `POST /projects/:org/:repo/move`: the Worker it is to run on. */
export const moveProjectBody = z.object({ node: named(NODE_NAME, nodeNameProblem) }).strict();
export type MoveProjectBody = z.infer<typeof moveProjectBody>;
