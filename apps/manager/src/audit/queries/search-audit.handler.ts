import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Filter } from 'mongodb';
import { ReadModels } from '../../events/read-models';
import { AuditEntry } from '../audit-entry';
import { AUDIT } from '../audit.projection';
import { AuditPage, SearchAuditQuery } from './search-audit.query';

@QueryHandler(SearchAuditQuery)
export class SearchAuditHandler implements IQueryHandler<SearchAuditQuery> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ filters, untilPosition, scope }: SearchAuditQuery): Promise<AuditPage> {
    const { actor, streamId, type, correlationId, from, to, order, cursor, limit } = filters;
    const newest = order === 'newest';
    const position: Record<string, number> = {};
    if (cursor !== undefined) position[newest ? '$lt' : '$gt'] = cursor;
    if (untilPosition !== undefined) position.$lte = untilPosition;
    const time: Record<string, Date> = {};
    if (from) time.$gte = new Date(from);
    if (to) time.$lte = new Date(to);
    const filter: Filter<AuditEntry> = {
      ...(actor && { actor }),
      ...(streamId && { streamId }),
      ...(type && { type }),
      ...(correlationId && { correlationId }),
      ...(Object.keys(position).length > 0 && { position }),
      ...(Object.keys(time).length > 0 && { time }),
    };
    const entries = await this.readModels
      .collection<AuditEntry>(AUDIT)
      .find(scope ? { $and: [filter, scope] } : filter, { projection: { _id: 0 } })
      .sort({ position: newest ? -1 : 1 })
      .limit(limit + 1)
      .toArray();
    const more = entries.length > limit;
    const page = entries.slice(0, limit);
    return { entries: page, next: more ? page[page.length - 1].position : null };
  }
}
