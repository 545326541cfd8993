import { z } from 'zod';
import { queryFlag } from '../../http/query-flag';
import {
  SERVICE_NAME,
  VARIABLE_NAME,
  VARIABLE_VALUE,
  VARIABLE_VALUE_CHARACTERS,
  wellFormed,
} from '@testausdeploy/domain';
import { githubOrg, githubRepo } from '../../deployments/dto/request-deployment.dto';

const name = z.string().regex(VARIABLE_NAME, 'a letter or _, then letters, digits or _ (at most 128)');
const service = z.string().regex(SERVICE_NAME, "a compose service's name").nullable().default(null);
/** What a value may be, and why not, in one sentence. */
export const VALUE_RULE = `at most ${VARIABLE_VALUE_CHARACTERS} characters of text, without control characters but tab and line breaks`;
export const variableValue = z
  .string()
  .max(VARIABLE_VALUE_CHARACTERS, VALUE_RULE)
  .regex(VARIABLE_VALUE, VALUE_RULE)
  .refine(wellFormed, VALUE_RULE);

export const variableParams = z
  .object({ org: githubOrg, repo: githubRepo, name })
  .transform(({ org, repo, name }) => ({ org: org.toLowerCase(), repo: repo.toLowerCase(), name }));
export type VariableParams = z.infer<typeof variableParams>;

/** Whether the change deploys the project again now, or waits for its next deployment. */
const redeploy = z.boolean().default(false);

/** Body of `PUT /projects/:org/:repo/variables/:name`: `secret` ones are never shown again. */
export const setVariableBody = z
  .object({ value: variableValue, secret: z.boolean().default(false), service, redeploy })
  .strict();
export type SetVariableBody = z.infer<typeof setVariableBody>;

/** Query of `DELETE /projects/:org/:repo/variables/:name`: the service's own, or (without) the project's. */
export const removeVariableQuery = z
  .object({
    service,
    redeploy: queryFlag(),
  })
  .strict();
export type RemoveVariableQuery = z.infer<typeof removeVariableQuery>;

/** Body of `POST /projects/:org/:repo/variables/import`: a `.env` text, each variable of it set alike. */
export const importVariablesBody = z
  .object({
    text: z.string().min(1).max(16_384, 'at most 16 KiB (import a longer file in parts)'),
    secret: z.boolean().default(false),
    service,
    redeploy,
  })
  .strict();
export type ImportVariablesBody = z.infer<typeof importVariablesBody>;
