import { Schema } from 'mongoose';
import { DeployedContainer, DeploymentStatus } from '@testausdeploy/domain';

/** The deployments read model: one document per deployment, what `GET /deployments` returns. */
export interface DeploymentView {
  id: string;
  org: string;
  repo: string;
  branch: string;
  composePath: string;
  status: DeploymentStatus;
  commit: string | null;
  reason: string | null;
  containers: DeployedContainer[];
  requestedBy: string;
  requestedAt: Date;
  updatedAt: Date;
  /** Global position of the last event applied: makes re-delivery harmless. */
  position: number;
}

export const deploymentViewSchema = new Schema<DeploymentView>(
  {
    id: { type: String, required: true, unique: true },
    org: String,
    repo: String,
    branch: String,
    composePath: String,
    status: String,
    commit: { type: String, default: null },
    reason: { type: String, default: null },
    containers: { type: Schema.Types.Mixed, default: [] },
    requestedBy: String,
    requestedAt: Date,
    updatedAt: Date,
    position: Number,
  },
  { versionKey: false, minimize: false },
);
deploymentViewSchema.index({ requestedAt: -1 });
