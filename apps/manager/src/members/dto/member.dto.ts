import { z } from 'zod';
import { MEMBER_NAME } from '@testausdeploy/domain';

const role = z.enum(['member', 'admin']);

/** A member's name, by the domain's rule. */
export const memberName = z
  .string()
  .regex(MEMBER_NAME, 'must be 2-32 characters of a-z, 0-9 and single hyphens, starting with a letter');

/** Body of `POST /members`. */
export const addMemberBody = z.object({ name: memberName, role: role.default('member') }).strict();
export type AddMemberBody = z.infer<typeof addMemberBody>;

/** Body of `PUT /members/:name/role`. */
export const changeMemberRoleBody = z.object({ role }).strict();
