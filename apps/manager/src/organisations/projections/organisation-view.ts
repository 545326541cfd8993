/** The organisations read model: one document per allowed organisation, what `GET /organisations` lists. */
export interface OrganisationView {
  /** The organisation's name in lower case: the read model's key. */
  _id: string;
  org: string;
  allowedBy: string;
  allowedAt: Date;
  /** Whether any member may deploy a repository of it that is no project yet (and become its maintainer). */
  memberDeploys: boolean;
  position: number;
}
