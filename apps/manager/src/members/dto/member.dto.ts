import { z } from 'zod';
import { MEMBER_NAME, memberNameProblem, TOKEN_LABEL } from '@testausdeploy/domain';
import { named } from '../../http/named';

const role = z.enum(['member', 'admin']);

/** A member's name, by the domain's rule. */
export const memberName = named(MEMBER_NAME, memberNameProblem);

/** Body of `POST /members`. */
export const addMemberBody = z.object({ name: memberName, role: role.default('member') }).strict();
export type AddMemberBody = z.infer<typeof addMemberBody>;

/** Body of `PUT /members/:name/role`. */
export const changeMemberRoleBody = z.object({ role }).strict();

/** Body of `POST /tokens`: a name the member knows it by, what it may do, and how many days it lives. */
export const issueTokenBody = z
  .object({
    name: named(TOKEN_LABEL, (value) =>
      TOKEN_LABEL.test(value) ? null : 'must be 1-64 letters, digits, spaces, dots, underscores or hyphens',
    ),
    scope: z.enum(['read', 'full']).default('full'),
    expiresInDays: z.number().int().min(1).max(366).default(90),
  })
  .strict();
export type IssueTokenBody = z.infer<typeof issueTokenBody>;

/** Body of `PUT /members/:name/identities/:provider`: the account's login (GitHub's; OIDC's preferred_username or verified email). */
export const linkIdentityBody = z
  .object({
    login: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$/,
        'must be a login: letters, digits, ".", "_", "@", "+", "-"',
      ),
  })
  .strict();
export const identityProvider = z.enum(['github', 'oidc']);
