import { z } from 'zod';
import {
  FINGERPRINT_INPUT,
  NODE_NAME,
  NODE_URL,
  nodeNameProblem,
  nodeUrlProblem,
} from '@testausdeploy/domain';
import { named } from '../../http/named';
import { nodeLabel } from '../../placement/dto/placement.dto';

const nodeName = named(NODE_NAME, nodeNameProblem);
const fingerprint = z
  .string()
  .regex(
    FINGERPRINT_INPUT,
    "must be the node's key fingerprint: 64 hex digits (`main.js fingerprint` prints it)",
  );
const node = {
  name: nodeName,
  url: named(NODE_URL, nodeUrlProblem).max(300),
  fingerprint,
};

/**
 * Body of `POST /nodes`: a Worker names its Guardian, a Guardian none. The patterns are the domain's
 * (NodeEnrolment checks them again); whether the named Guardian is enrolled is the registry's question.
 */
export const enrolNodeBody = z.discriminatedUnion('kind', [
  z
    .object({
      ...node,
      kind: z.literal('worker'),
      guardian: z
        .string({ error: "a worker needs a guardian: the Guardian that owns its host's firewall" })
        .regex(NODE_NAME, 'must be the name of an enrolled Guardian'),
    })
    .strict(),
  z.object({ ...node, kind: z.literal('guardian') }).strict(),
]);
export type EnrolNodeBody = z.infer<typeof enrolNodeBody>;

/** Body of `PUT /nodes/:name/labels`: every label the Worker has from now on. */
export const nodeLabelsBody = z.object({ labels: z.array(nodeLabel).max(16) }).strict();
export type NodeLabelsBody = z.infer<typeof nodeLabelsBody>;

/** Body of `PUT /nodes/:name/draining`. */
export const nodeDrainingBody = z.object({ draining: z.boolean() }).strict();
export type NodeDrainingBody = z.infer<typeof nodeDrainingBody>;

/** Body of `PUT /nodes/:name/fingerprint`. */
export const rotateNodeKeyBody = z.object({ fingerprint }).strict();
export type RotateNodeKeyBody = z.infer<typeof rotateNodeKeyBody>;
