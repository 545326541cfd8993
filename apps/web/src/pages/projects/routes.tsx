import { useState } from 'react';
import { inStreams } from '../../api/live';
import { delegateDomains, getRoutes, setRoutes, type ProjectRoutes, type Route } from '../../api/routes';
import { Action } from '../../components/action';
import { Field, Form } from '../../components/form';
import { Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { Table } from '../../components/table';
import { Time } from '../../components/time';

const toSet = ({ service, port, hosts }: Route) => ({ service, port, hosts });

/** Whether `host` is under one of the project's delegated domains, where its maintainers give host names too. */
const delegated = (host: string, domains: string[]) =>
  domains.some((domain) => host === domain || host.endsWith(`.${domain}`));

/** Host names typed into a field: separated by spaces or commas. */
const names = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/** A host name's certificate in words: until when it is valid, or why there is none. */
function Certificate({ of }: { of: Route['certificates'][number] | undefined }) {
  if (!of || of.state === 'pending') return <span className="muted">certificate pending</span>;
  if (of.state === 'failed') return <span className="bad">no certificate: {of.reason}</span>;
  return (
    <span className="muted">
      certificate {of.state === 'renewing' ? 'renewing, valid' : 'valid'} until <Time at={of.notAfter} />
    </span>
  );
}

/**
 * Where a project answers over HTTPS: each route's service and port, its host names (the first route's default one
 * first) and where the running version answers. Maintainers add and remove routes; admins give host names, and
 * delegate domains under which the project's maintainers give them too.
 */
export function Routes({ org, repo, access }: { org: string; repo: string; access: string }) {
  const routes = useResource(() => getRoutes(org, repo), `routes-${org}/${repo}`, {
    refreshOn: inStreams(`routes-${org}/${repo}`, 'deployment-'),
  });
  const maintains = access !== 'viewer';
  return (
    <Section title="Routes">
      <Loaded
        resource={routes}
        isEmpty={(one) => one.routes.length === 0}
        empty="It answers at no host name yet."
      >
        {(one) => (
          <>
            {!one.serving && <p role="status">Not served now: nothing of it runs with its routes.</p>}
            {one.domains.length > 0 && (
              <p>
                Delegated to this project: <span className="mono">{one.domains.join(', ')}</span>. Its
                maintainers give its routes host names under {one.domains.length > 1 ? 'them' : 'it'}.
              </p>
            )}
            <Table
              rows={one.routes}
              rowKey={(route) => route.service}
              columns={[
                { header: 'Service', cell: (route) => route.service, className: 'mono' },
                { header: 'Port', cell: (route) => route.port },
                {
                  header: 'Host names',
                  cell: (route) => (
                    <ul className="plain">
                      {route.servedAt.map((host) => (
                        <li key={host}>
                          <a href={`https://${host}/`} rel="noreferrer" target="_blank">
                            {host}
                          </a>{' '}
                          <Certificate of={route.certificates.find((one) => one.host === host)} />
                        </li>
                      ))}
                      {route.heldElsewhere.map(({ host, heldBy }) => (
                        <li key={host} className="muted">
                          {host}: {heldBy} had it first
                        </li>
                      ))}
                    </ul>
                  ),
                },
                {
                  header: 'Requests',
                  cell: (route) =>
                    route.requests ? (
                      <>
                        {route.requests.requests} ({route.requests.serverErrors} server errors) since{' '}
                        <Time at={route.requests.since} />
                      </>
                    ) : (
                      'none counted yet'
                    ),
                },
                {
                  header: 'Upstream',
                  cell: (route) =>
                    route.upstream
                      ? `${route.upstream.address}:${route.upstream.port}`
                      : 'after the next deployment',
                  className: 'mono',
                },
                maintains && {
                  header: 'Remove',
                  cell: (route) =>
                    access !== 'admin' && route.hosts.some((host) => !delegated(host, one.domains)) ? (
                      'an admin gave it host names: an admin removes it'
                    ) : (
                      <Action
                        run={() =>
                          setRoutes(
                            org,
                            repo,
                            one.routes.filter((other) => other.service !== route.service).map(toSet),
                          )
                        }
                        done={routes.reload}
                        className="danger"
                      >
                        {`Remove the route to ${route.service}`}
                      </Action>
                    ),
                },
              ]}
            />
          </>
        )}
      </Loaded>
      {maintains && routes.state === 'ready' && (
        <AddRoute
          org={org}
          repo={repo}
          current={routes.data}
          admin={access === 'admin'}
          added={routes.reload}
        />
      )}
      {access === 'admin' && routes.state === 'ready' && (
        <DelegateDomains org={org} repo={repo} current={routes.data.domains} changed={routes.reload} />
      )}
    </Section>
  );
}

function AddRoute(props: {
  org: string;
  repo: string;
  current: ProjectRoutes;
  admin: boolean;
  added: () => void;
}) {
  const { org, repo, current, admin, added } = props;
  const [service, setService] = useState('');
  const [port, setPort] = useState('');
  const [hosts, setHosts] = useState('');
  return (
    <Form
      label="Add a route"
      submit={async () => {
        await setRoutes(org, repo, [
          ...current.routes.map(toSet),
          { service: service.trim(), port: Number(port), hosts: names(hosts) },
        ]);
        setService('');
        setPort('');
        setHosts('');
        added();
      }}
    >
      <p className="muted">
        {current.defaultHost
          ? `The first route answers at ${current.defaultHost}. `
          : 'The server has no apps domain: a route answers at the host names an admin gives it. '}
        The next deployment puts the service on the apps network; no port needs publishing.
      </p>
      <div className="row">
        <Field label="Service" value={service} set={setService} required spellCheck={false} />
        <Field label="Container port" value={port} set={setPort} required inputMode="numeric" />
        {(admin || current.domains.length > 0) && (
          <Field
            label={admin ? 'Host names (admins)' : `Host names (under ${current.domains.join(', ')})`}
            value={hosts}
            set={setHosts}
            spellCheck={false}
          />
        )}
      </div>
    </Form>
  );
}

/** The domains delegated to the project, replaced whole (admins). */
function DelegateDomains(props: { org: string; repo: string; current: string[]; changed: () => void }) {
  const { org, repo, current, changed } = props;
  const [domains, setDomains] = useState(current.join(', '));
  return (
    <Form
      label="Delegate domains"
      submit={async () => {
        await delegateDomains(org, repo, names(domains));
        changed();
      }}
    >
      <p className="muted">
        The project's maintainers give its routes host names under these domains (the domains themselves too),
        without an admin. A domain is one project's; point its DNS at this server.
      </p>
      <Field label="Delegated domains" value={domains} set={setDomains} spellCheck={false} />
    </Form>
  );
}
