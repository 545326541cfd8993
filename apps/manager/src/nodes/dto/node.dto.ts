import { z } from 'zod';
import { FINGERPRINT_INPUT, NODE_NAME, NODE_URL } from '@testausdeploy/domain';

const nodeName = z
  .string()
  .regex(NODE_NAME, 'must be at most 63 of a-z, 0-9 and "-", not starting or ending with "-"');
const fingerprint = z
  .string()
  .regex(
    FINGERPRINT_INPUT,
    "must be the node's key fingerprint: 64 hex digits (`main.js fingerprint` prints it)",
  );
const node = {
  name: nodeName,
  url: z.string().max(300).regex(NODE_URL, 'must be wss://host:port'),
  fingerprint,
};

/**
 * Body of `POST /nodes`: a Worker names its Guardian, a Guardian none. The patterns are the domain's
 * (NodeEnrolment checks them again); whether the named Guardian is enrolled is the registry's question.
 */
export const enrolNodeBody = z.discriminatedUnion('kind', [
  z.object({ ...node, kind: z.literal('worker'), guardian: nodeName }).strict(),
  z.object({ ...node, kind: z.literal('guardian') }).strict(),
]);
export type EnrolNodeBody = z.infer<typeof enrolNodeBody>;

/** Body of `PUT /nodes/:name/fingerprint`. */
export const rotateNodeKeyBody = z.object({ fingerprint }).strict();
export type RotateNodeKeyBody = z.infer<typeof rotateNodeKeyBody>;
