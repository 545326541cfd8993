import { z } from 'zod';
import { githubOrg, githubRepo } from '../../deployments/dto/request-deployment.dto';
import { memberName } from '../../members/dto/member.dto';

/** A project's path parameters: the repository, named as GitHub names it (any case). */
export const projectParams = z
  .object({ org: githubOrg, repo: githubRepo })
  .transform(({ org, repo }) => ({ org: org.toLowerCase(), repo: repo.toLowerCase() }));
export type ProjectParams = z.infer<typeof projectParams>;

/** The path of a member's role on a project. */
export const projectMemberParams = z
  .object({ org: githubOrg, repo: githubRepo, name: memberName })
  .transform(({ org, repo, name }) => ({ org: org.toLowerCase(), repo: repo.toLowerCase(), name }));
export type ProjectMemberParams = z.infer<typeof projectMemberParams>;

/** Body of `DELETE /projects/:org/:repo`: the project's `org/repo` typed again, so that no slip removes it. */
export const removeProjectBody = z.object({ confirm: z.string().max(300) }).strict();
export type RemoveProjectBody = z.infer<typeof removeProjectBody>;

/** Body of `PUT /projects/:org/:repo/members/:name`. */
export const grantProjectRoleBody = z.object({ role: z.enum(['maintainer', 'viewer']) }).strict();
export type GrantProjectRoleBody = z.infer<typeof grantProjectRoleBody>;
