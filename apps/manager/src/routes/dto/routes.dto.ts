import { z } from 'zod';
import {
  HOST_NAME,
  MAX_DELEGATED_DOMAINS,
  MAX_ROUTE_HOSTS,
  MAX_ROUTES,
  SERVICE_NAME,
} from '@testausdeploy/domain';

/** Body of `PUT /projects/:org/:repo/routes`: every route of the project, replacing those it had. */
export const setRoutesBody = z.strictObject({
  routes: z
    .array(
      z.strictObject({
        service: z.string().regex(SERVICE_NAME, "a compose service's name"),
        port: z.number().int().min(1).max(65535),
        /** Host names beside the default one (the first route's); an admin's to give, or under a delegated domain. */
        hosts: z
          .array(z.string().max(253).regex(HOST_NAME, 'a host name in lower case, like app.example.org'))
          .max(MAX_ROUTE_HOSTS)
          .default([]),
      }),
    )
    .max(MAX_ROUTES),
});
export type SetRoutesBody = z.infer<typeof setRoutesBody>;

/** Body of `PUT /projects/:org/:repo/domains`: every domain delegated to the project, replacing those it had. */
export const delegateDomainsBody = z.strictObject({
  domains: z
    .array(z.string().max(253).regex(HOST_NAME, 'a domain in lower case, like team.example.org'))
    .max(MAX_DELEGATED_DOMAINS),
});
export type DelegateDomainsBody = z.infer<typeof delegateDomainsBody>;
