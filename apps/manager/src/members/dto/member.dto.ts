import { z } from 'zod';
import { MEMBER_NAME, memberNameProblem } from '@testausdeploy/domain';
import { named } from '../../http/named';

const role = z.enum(['member', 'admin']);

/** A member's name, by the domain's rule. */
export const memberName = named(MEMBER_NAME, memberNameProblem);

/** Body of `POST /members`. */
export const addMemberBody = z.object({ name: memberName, role: role.default('member') }).strict();
export type AddMemberBody = z.infer<typeof addMemberBody>;

/** Body of `PUT /members/:name/role`. */
export const changeMemberRoleBody = z.object({ role }).strict();
