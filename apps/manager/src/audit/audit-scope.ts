import { Injectable } from '@nestjs/common';
import { Document } from 'mongodb';
import { escapeRegex } from '@testausdeploy/events';
import { Deployment, Member, NotificationChannel, Observations, Project } from '@testausdeploy/domain';
import { Caller } from '../auth/caller';
import { ReadModels } from '../events/read-models';
import { DeploymentView } from '../deployments/projections/deployment-view';
import { DEPLOYMENTS } from '../deployments/projections/deployments.projection';
import { ofProjectsDeployments, ProjectAccess } from '../projects/project-access';
import { AuditEntry } from './audit-entry';
import { AUDIT } from './audit.projection';

/**
 * Which audit entries a caller may read: an admin all; a member those of their projects as they are now (the roles,
 * every deployment, the poller's back-offs and the notification channels of each, since the project began: not
 * those of a removed project of the same repository), of the containers they own (each
 * incarnation of a name from its request to the next one's) and their failed scheduled backups, and of their own
 * account and sessions, from the moment they were added.
 */
@Injectable()
export class AuditScope {
  constructor(
    private readonly readModels: ReadModels,
    private readonly access: ProjectAccess,
  ) {}

  /** A filter of the entries the caller may read; null for all of them. */
  async of(caller: Caller): Promise<Document | null> {
    const projects = await this.access.projectsOf(caller);
    if (projects === null) return null;
    const memberId = caller.memberId as string;
    const [deployments, added, sessions, containers] = await Promise.all([
      this.readModels
        .collection<DeploymentView>(DEPLOYMENTS)
        .find(ofProjectsDeployments(projects), { projection: { id: 1 } })
        .toArray(),
      this.entries({ type: 'MemberAdded', 'data.memberId': memberId }),
      this.entries({ type: 'SignedIn', 'data.memberId': memberId }),
      this.containerIncarnations(memberId),
    ]);
    const streams = [
      ...deployments.map(({ id }) => Deployment.streamId(id)),
      ...sessions.map(({ streamId }) => streamId),
    ];
    // A project's own streams from where it began: not a removed one's of the same repository.
    const ofProject = ({ org, repo, since }: (typeof projects)[number]) => [
      {
        streamId: { $in: [Project.streamId(org, repo), Observations.ofPolling(org, repo).streamId] },
        position: { $gte: since },
      },
      {
        streamId: { $regex: `^${escapeRegex(NotificationChannel.streamPrefix({ org, repo }))}` },
        position: { $gte: since },
      },
    ];
    return {
      $or: [
        { streamId: { $in: streams } },
        ...projects.flatMap(ofProject),
        { type: 'ScheduledBackupFailed', 'data.ownerId': memberId },
        ...added.map(({ position }) => ({
          streamId: Member.streamId(caller.member as string),
          position: { $gte: position },
        })),
        ...containers,
      ],
    };
  }

  /** Each container stream the member requested a container in, from that request to the name's next one. */
  private async containerIncarnations(memberId: string): Promise<Document[]> {
    const requests = await this.entries({ type: 'ContainerRequested', 'data.ownerId': memberId });
    return Promise.all(
      requests.map(async ({ streamId, position }) => {
        const next = await this.readModels
          .collection<AuditEntry>(AUDIT)
          .find({ streamId, type: 'ContainerRequested', position: { $gt: position } })
          .sort({ position: 1 })
          .limit(1)
          .next();
        return { streamId, position: next ? { $gte: position, $lt: next.position } : { $gte: position } };
      }),
    );
  }

  private entries(filter: Document): Promise<Pick<AuditEntry, 'streamId' | 'position'>[]> {
    return this.readModels
      .collection<AuditEntry>(AUDIT)
      .find(filter, { projection: { streamId: 1, position: 1 } })
      .toArray();
  }
}
