import { Injectable } from '@nestjs/common';
import { IdentityProvider } from '@testausdeploy/domain';
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

  /**
   * The member a provider's account signs in as: the one its subject is bound to, or else the one its login is
   * linked to that no account has signed in as yet.
   */
  async byIdentity(provider: IdentityProvider, login: string, subject: string): Promise<MemberView | null> {
    const candidates = await (
      await this.views()
    )
      .find({ $or: [{ 'identities.subject': subject }, { 'identities.loginKey': login.toLowerCase() }] })
      .toArray();
    const of = (member: MemberView) => member.identities.find((one) => one.provider === provider);
    return (
      candidates.find((member) => of(member)?.subject === subject) ??
      candidates.find((member) => of(member)?.loginKey === login.toLowerCase()) ??
      null
    );
  }

  async byId(memberId: string): Promise<MemberView | null> {
    return (await this.views()).findOne({ memberId });
  }

  private async views() {
    await this.readModels.started;
    return this.readModels.collection<MemberView>(MEMBERS);
  }
}
