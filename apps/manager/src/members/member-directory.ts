import { Injectable } from '@nestjs/common';
import { ReadModels } from '../events/read-models';
import { MemberView } from './projections/member-view';
import { MEMBERS } from './projections/members.projection';

/** Reads the members read model: for the API and for the guard, which finds callers by their token. */
@Injectable()
export class MemberDirectory {
  constructor(private readonly readModels: ReadModels) {}

  async all(): Promise<MemberView[]> {
    return (await this.views()).find().sort({ _id: 1 }).toArray();
  }

  async find(name: string): Promise<MemberView | null> {
    return (await this.views()).findOne({ _id: name });
  }

  /** The member whose account token or one of whose named tokens has this digest. */
  async byTokenDigest(tokenDigest: string): Promise<MemberView | null> {
    return (await this.views()).findOne({ $or: [{ tokenDigest }, { 'tokens.tokenDigest': tokenDigest }] });
  }

  async byId(memberId: string): Promise<MemberView | null> {
    return (await this.views()).findOne({ memberId });
  }

  private async views() {
    await this.readModels.started;
    return this.readModels.collection<MemberView>(MEMBERS);
  }
}
