import { useState } from 'react';
import { requestDeployment } from '../../api/deployments';
import { listOrganisations } from '../../api/organisations';
import type { WhoAmI } from '../../api/session';
import { Field, Form } from '../../components/form';
import { PlacementFields, placementOf } from '../../components/placement-fields';
import { Page } from '../../components/page';
import { Loaded, useResource } from '../../components/resource';
import { navigate } from '../../router';

/**
 * Deploy a repository of an allowed organisation: branch and compose path, and for a new project where it goes;
 * a refusal shows the API's reason.
 */
export function NewDeployment({ me }: { me: WhoAmI }) {
  const organisations = useResource(listOrganisations, 'organisations');
  const [org, setOrg] = useState('');
  const [repo, setRepo] = useState('');
  const [branch, setBranch] = useState('main');
  const [composePath, setComposePath] = useState('docker-compose.yml');
  const [node, setNode] = useState('');
  const [labels, setLabels] = useState('');
  return (
    <Page title="New deployment">
      <Loaded
        resource={organisations}
        empty="No organisation is allowed yet: an admin allows one under Admin → Organisations."
      >
        {(list) => (
          <Form
            label="Deploy"
            submit={async () => {
              const { deploymentId } = await requestDeployment({
                org: org || list[0].org,
                repo: repo.trim(),
                branch: branch.trim(),
                composePath: composePath.trim(),
                ...placementOf(node, labels),
              });
              navigate(`/deployments/${deploymentId}`);
            }}
          >
            <label className="field">
              <span>Organisation</span>
              <select value={org || list[0].org} onChange={(event) => setOrg(event.target.value)}>
                {list.map((one) => (
                  <option key={one.org}>{one.org}</option>
                ))}
              </select>
            </label>
            <Field label="Repository" value={repo} set={setRepo} required spellCheck={false} />
            <Field label="Branch" value={branch} set={setBranch} required spellCheck={false} />
            <Field
              label="Compose file"
              value={composePath}
              set={setComposePath}
              required
              spellCheck={false}
              hint="Path inside the repository"
            />
            <PlacementFields
              admin={me.role === 'admin'}
              node={node}
              setNode={setNode}
              labels={labels}
              setLabels={setLabels}
            />
          </Form>
        )}
      </Loaded>
    </Page>
  );
}
