import { Injectable } from '@nestjs/common';
import { ChannelScope, Forbidden, NotFound, ProjectRole } from '@testausdeploy/domain';
import { Caller } from '../auth/caller';
import { ReadModels } from '../events/read-models';
import { ofProjects, ProjectAccess, ProjectAccessLevel } from '../projects/project-access';
import { NotificationChannelView } from './projections/notification-channel-view';
import { NOTIFICATION_CHANNELS } from './projections/notification-channels.projection';

/**
 * Who may see and set which channels: admins all, and the server's own; a project's members see its channels
 * and their deliveries, its maintainers set them. Anyone else's answer as channels and projects that do not
 * exist; a viewer's change says it needs the maintainer role.
 */
@Injectable()
export class ChannelAccess {
  constructor(
    private readonly readModels: ReadModels,
    private readonly projects: ProjectAccess,
  ) {}

  /** Where a new channel of the caller's goes: the server (admins only) or a project they maintain. */
  async scopeFor(caller: Caller, project: { org: string; repo: string } | undefined): Promise<ChannelScope> {
    if (!project) {
      if (caller.role === 'admin') return { org: null, repo: null };
      throw new Forbidden("only admins set the server's channels: name a project you maintain");
    }
    const { org, repo } = project;
    await this.projects.project(caller, org, repo, 'maintainer');
    return { org, repo };
  }

  /** The channel, if the caller may see it, and act on it when `needs` is `maintainer`. */
  async channel(
    caller: Caller,
    channelId: string,
    needs: ProjectRole = 'viewer',
  ): Promise<NotificationChannelView & { access: ProjectAccessLevel }> {
    const view = await this.channels().findOne({ _id: channelId });
    const access = view && (await this.levelOn(caller, view));
    if (!view || !access) throw new NotFound(`notification channel ${channelId} does not exist`);
    if (needs === 'maintainer' && access === 'viewer') {
      throw new Forbidden(`this needs the maintainer role on ${view.org}/${view.repo}: you are its viewer`);
    }
    return { ...view, access };
  }

  /** The channels the caller may see, each with their level on it. */
  async visible(caller: Caller): Promise<(NotificationChannelView & { access: ProjectAccessLevel })[]> {
    // A member's are among their projects' only: nobody else's are read for them.
    const views = await this.channels()
      .find(ofProjects(await this.projects.projectsOf(caller)))
      .sort({ addedAt: 1 })
      .toArray();
    const levels = await Promise.all(views.map((view) => this.levelOn(caller, view)));
    return views.flatMap((view, i) => {
      const access = levels[i];
      return access ? [{ ...view, access }] : [];
    });
  }

  /** An admin's on every channel; a member's their role on its project's, none on the server's. */
  private async levelOn(caller: Caller, { org, repo }: NotificationChannelView) {
    if (caller.role === 'admin') return 'admin';
    if (!org || !repo) return null;
    return this.projects.levelOn(caller, org, repo);
  }

  private channels() {
    return this.readModels.collection<NotificationChannelView>(NOTIFICATION_CHANNELS);
  }
}
