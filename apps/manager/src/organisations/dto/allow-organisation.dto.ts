import { z } from 'zod';
import { githubOrg } from '../../deployments/dto/request-deployment.dto';

/** Body of `POST /organisations`. */
export const allowOrganisationBody = z.object({ org: githubOrg }).strict();
export type AllowOrganisationBody = z.infer<typeof allowOrganisationBody>;

/** Body of `PUT /organisations/:org/member-deploys`. */
export const memberDeploysBody = z.object({ allowed: z.boolean() }).strict();
export type MemberDeploysBody = z.infer<typeof memberDeploysBody>;
