import { z } from 'zod';
import { ConfigurationSummary, VariableSummary } from '../../configuration/configuration-directory';
import { describing, time } from './described';

export const variable = describing<VariableSummary>()(
  z.strictObject({
    name: z.string(),
    service: z.string().nullable(),
    secret: z.boolean(),
    value: z.string().nullable(),
    setBy: z.string(),
    setAt: time,
    version: z.number().int().min(1),
  }),
);

export const configuration = describing<ConfigurationSummary>()(
  z.strictObject({
    org: z.string(),
    repo: z.string(),
    version: z.number().int().min(0),
    variables: z.array(variable),
  }),
);

/** The deployment a change started with `redeploy`; null without. */
const deploymentId = z.string().nullable();

export const variableSet = variable.extend({ deploymentId });

export const removed = z.strictObject({ version: z.number().int().min(1), deploymentId });

export const imported = z.strictObject({
  version: z.number().int().min(0),
  set: z.array(z.string()),
  skipped: z.array(z.strictObject({ line: z.number().int().min(1), reason: z.string() })),
  deploymentId,
});
