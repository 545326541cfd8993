import { z } from 'zod';

const role = z.enum(['member', 'admin']);

/** Body of `POST /members`; the naming rule lives in the domain's Member. */
export const addMemberBody = z
  .object({ name: z.string().min(1).max(64), role: role.default('member') })
  .strict();
export type AddMemberBody = z.infer<typeof addMemberBody>;

/** Body of `PUT /members/:name/role`. */
export const changeMemberRoleBody = z.object({ role }).strict();
