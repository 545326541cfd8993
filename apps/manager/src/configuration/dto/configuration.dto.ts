import { z } from 'zod';
import { githubOrg, githubRepo } from '../../deployments/dto/request-deployment.dto';

/** An environment variable's name, as a shell and compose take it. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const name = z.string().regex(VARIABLE_NAME, 'a letter or _, then letters, digits or _ (at most 128)');
/** A compose service's name, as compose takes it. */
const service = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/, "a compose service's name")
  .nullable()
  .default(null);
/** Any text but NUL, which no process's environment can hold; several lines too (a PEM key). */
export const VARIABLE_VALUE_BYTES = 8192;
export const variableValue = z
  .string()
  .max(VARIABLE_VALUE_BYTES, `at most ${VARIABLE_VALUE_BYTES} characters`)
  .regex(/^[^\0]*$/, 'without NUL: no environment can hold it');

export const variableParams = z
  .object({ org: githubOrg, repo: githubRepo, name })
  .transform(({ org, repo, name }) => ({ org: org.toLowerCase(), repo: repo.toLowerCase(), name }));
export type VariableParams = z.infer<typeof variableParams>;

/** Body of `PUT /projects/:org/:repo/variables/:name`: `secret` ones are never shown again. */
export const setVariableBody = z
  .object({ value: variableValue, secret: z.boolean().default(false), service })
  .strict();
export type SetVariableBody = z.infer<typeof setVariableBody>;

/** Query of `DELETE /projects/:org/:repo/variables/:name`: the service's own, or (without) the project's. */
export const variableServiceQuery = z.object({ service }).strict();

/** Body of `POST /projects/:org/:repo/variables/import`: a `.env` text, each variable of it set alike. */
export const importVariablesBody = z
  .object({
    text: z.string().min(1).max(16_384, 'at most 16 KiB (import a longer file in parts)'),
    secret: z.boolean().default(false),
    service,
  })
  .strict();
export type ImportVariablesBody = z.infer<typeof importVariablesBody>;
