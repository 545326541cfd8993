import { Injectable } from '@nestjs/common';
import { isAllowListEvent } from '@testausdeploy/domain';
import { StoredEvent, Views } from '@testausdeploy/events';
import { RegisteredProjection } from '../../events/registered-projection';
import { OrganisationView } from './organisation-view';

export const ORGANISATIONS = 'organisations';

@Injectable()
export class OrganisationsProjection extends RegisteredProjection<OrganisationView> {
  readonly name = ORGANISATIONS;
  readonly version = 2;
  readonly indexes = [];

  async apply(event: StoredEvent, views: Views<OrganisationView>): Promise<void> {
    if (!isAllowListEvent(event)) return;
    const { org } = event.data;
    const view = await views.get(org);
    if (view && view.position >= event.position) return;
    if (event.type === 'OrganisationAllowed') {
      views.put({
        _id: org,
        org,
        allowedBy: event.metadata.actor,
        allowedAt: event.metadata.time,
        memberDeploys: false,
        position: event.position,
      });
    } else if (event.type === 'OrganisationDisallowed') {
      views.delete(org);
    } else if (view) {
      views.put({ ...view, memberDeploys: event.data.allowed, position: event.position });
    }
  }
}
