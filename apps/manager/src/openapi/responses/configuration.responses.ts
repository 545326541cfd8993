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

export const imported = z.strictObject({
  version: z.number().int().min(0),
  set: z.array(z.string()),
  skipped: z.array(z.strictObject({ line: z.number().int().min(1), reason: z.string() })),
});
