/**
 * The data key scope of what belongs to a project (`org/repo`: its channels' and its configuration's secrets),
 * or to the server (`global`). Forgetting a project's data key would make all of it unreadable at once.
 */
export const keyScope = ({ org, repo }: { org: string | null; repo: string | null }) =>
  org && repo ? `${org}/${repo}` : 'global';
