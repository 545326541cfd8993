import { useState } from 'react';
import { inStream } from '../../api/live';
import {
  allowOrganisation,
  disallowOrganisation,
  listOrganisations,
  setMemberDeploys,
} from '../../api/organisations';
import { Action } from '../../components/action';
import { Field, Form } from '../../components/form';
import { Page, Section } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { Time } from '../../components/time';

/** The allow-list of GitHub organisations whose repositories may be deployed. */
export function Organisations() {
  const organisations = useResource(listOrganisations, 'organisations', {
    refreshOn: inStream('allow-list'),
  });
  const [org, setOrg] = useState('');
  return (
    <Page title="Organisations">
      <Section title="Allow an organisation">
        <Form
          label="Allow"
          submit={async () => {
            await allowOrganisation(org.trim());
            setOrg('');
            organisations.reload();
          }}
        >
          <Field label="GitHub organisation" value={org} set={setOrg} required spellCheck={false} />
        </Form>
      </Section>
      <Section title="Allowed">
        <Loaded resource={organisations} empty="No organisation is allowed: nothing can be deployed.">
          {(list) => (
            <ul className="plain">
              {list.map((one) => (
                <li key={one.org} className="item">
                  <span>
                    <strong>{one.org}</strong>{' '}
                    <span className="muted">
                      by {one.allowedBy}, <Time at={one.allowedAt} />
                    </span>{' '}
                    {one.memberDeploys && (
                      <span className="muted">(members may deploy new repositories)</span>
                    )}
                  </span>
                  <Action
                    run={() => setMemberDeploys(one.org, !one.memberDeploys)}
                    done={organisations.reload}
                  >
                    {one.memberDeploys
                      ? `Stop member deploys of ${one.org}`
                      : `Let members deploy from ${one.org}`}
                  </Action>
                  <Action
                    run={() => disallowOrganisation(one.org)}
                    done={organisations.reload}
                    className="danger"
                  >
                    Disallow
                  </Action>
                </li>
              ))}
            </ul>
          )}
        </Loaded>
      </Section>
    </Page>
  );
}
