import { Injectable } from '@nestjs/common';
import { Db } from 'mongodb';
import { Sealed } from '@testausdeploy/domain';

/** A data key as the vault keeps it: wrapped by the master key that `wrapped.key` names. */
export interface VaultEntry {
  _id: string;
  scope: string;
  wrapped: Sealed;
  createdAt: Date;
}

/**
 * The data keys, each wrapped by the master key, in a collection of their own (`data_keys`) beside the event
 * log. They are kept out of the log on purpose: the log can never forget, and destroying a project's data key
 * must make what it sealed unreadable for good (crypto-shredding). This is the one collection the Manager
 * changes in place; the log records each key's life (DataKeyRing's events), never the key.
 */
@Injectable()
export class KeyVault {
  constructor(private readonly db: Db) {}

  async get(keyId: string): Promise<VaultEntry | null> {
    return this.entries().findOne({ _id: keyId });
  }

  async all(): Promise<VaultEntry[]> {
    return this.entries().find({}).toArray();
  }

  async put(entry: VaultEntry): Promise<void> {
    await this.entries().insertOne(entry);
  }

  /** The key wrapped anew (a rotation): the old wrapping is gone from the database. */
  async rewrap(keyId: string, wrapped: Sealed): Promise<void> {
    await this.entries().updateOne({ _id: keyId }, { $set: { wrapped } });
  }

  /** Forgets a key for good. */
  async remove(keyId: string): Promise<void> {
    await this.entries().deleteOne({ _id: keyId });
  }

  private entries() {
    return this.db.collection<VaultEntry>('data_keys');
  }
}
