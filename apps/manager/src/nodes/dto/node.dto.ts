import { z } from 'zod';

/** Body of `POST /nodes`; the rules for names, addresses and keys live in the domain's NodeEnrolment. */
export const enrolNodeBody = z
  .object({
    name: z.string().min(1).max(63),
    kind: z.enum(['worker', 'guardian']),
    url: z.string().min(1).max(2048),
    fingerprint: z.string().min(1).max(200),
    guardian: z.string().min(1).max(63).optional(),
  })
  .strict();
export type EnrolNodeBody = z.infer<typeof enrolNodeBody>;

/** Body of `PUT /nodes/:name/fingerprint`. */
export const rotateNodeKeyBody = z.object({ fingerprint: z.string().min(1).max(200) }).strict();
export type RotateNodeKeyBody = z.infer<typeof rotateNodeKeyBody>;
