import { Injectable } from '@nestjs/common';
import { ReadModels } from '../events/read-models';
import { AsOf } from '../http/as-of';
import { AuditEntry } from './audit-entry';
import { AUDIT } from './audit.projection';

/** Turns an `asOf` time into the last log position recorded at or before it (0 before the first event). */
@Injectable()
export class AsOfResolver {
  constructor(private readonly readModels: ReadModels) {}

  async position(asOf: AsOf): Promise<number> {
    if ('position' in asOf) return asOf.position;
    const last = await this.readModels
      .collection<AuditEntry>(AUDIT)
      .find({ time: { $lte: asOf.time } }, { projection: { position: 1 } })
      .sort({ position: -1 })
      .limit(1)
      .next();
    return last?.position ?? 0;
  }
}
