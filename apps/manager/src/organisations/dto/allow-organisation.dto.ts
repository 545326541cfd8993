import { z } from 'zod';

/** Body of `POST /organisations`; the naming rule lives in the domain's AllowList. */
export const allowOrganisationBody = z.object({ org: z.string().min(1).max(39) }).strict();
export type AllowOrganisationBody = z.infer<typeof allowOrganisationBody>;
