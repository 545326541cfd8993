import { z } from 'zod';

/** Body of `POST /session`: the API token to trade for a session. */
export const signInBody = z.object({ token: z.string().min(1).max(512) }).strict();
export type SignInBody = z.infer<typeof signInBody>;
