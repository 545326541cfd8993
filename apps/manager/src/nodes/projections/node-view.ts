import { NodeKind } from '@testausdeploy/domain';

/** The nodes read model: one document per enrolled node, what `GET /nodes` returns (plus `connected`). */
export interface NodeView {
  /** The node's name: the read model's key. */
  _id: string;
  name: string;
  kind: NodeKind;
  url: string;
  fingerprint: string;
  guardian: string | null;
  enrolledBy: string;
  enrolledAt: Date;
  /** When the pinned key last changed; null if never. */
  keyRotatedAt: Date | null;
  /** A Worker's labels, what placement matches; none for a Guardian. */
  labels: string[];
  /** A drained Worker takes nothing new; what runs on it stays. */
  draining: boolean;
  position: number;
}
