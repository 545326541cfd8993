import { z } from 'zod';
import { NODE_LABEL, NODE_NAME, nodeNameProblem } from '@testausdeploy/domain';
import { named } from '../../http/named';

/** A Worker's label, as placement asks for it. */
export const nodeLabel = z
  .string()
  .regex(
    NODE_LABEL,
    'must be lower-case letters, digits and "-", at most 32, starting with a letter or digit',
  );

/**
 * What a request for something new (a project's first deployment, a container) may say of its node: an admin
 * names one, anyone may ask for labels. Fields of the request's body.
 */
export const placementFields = {
  /** The Worker it goes to (admins only). */
  node: named(NODE_NAME, nodeNameProblem).optional(),
  /** Only a Worker with every one of these labels. */
  labels: z.array(nodeLabel).max(16).optional(),
};
