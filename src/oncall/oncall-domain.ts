import type { Kysely } from "kysely";
import type { Database } from "../db/database.js";
import type { NotificationOutbox } from "../notifications/notification.js";
import { notificationOutbox } from "../notifications/outbox.store.js";
import type { OncallDirectory } from "./directory.js";
import { type OncallStore, oncallDirectory, oncallStore } from "./oncall.store.js";

/** On-call for one replica: the store behind the API, the directory other domains read, the outbox it notifies through. */
export interface OncallDomain {
  readonly store: OncallStore;
  readonly directory: OncallDirectory;
  readonly outbox: NotificationOutbox;
}

export function createOncallDomain(db: Kysely<Database>): OncallDomain {
  return { store: oncallStore(db), directory: oncallDirectory(db), outbox: notificationOutbox(db) };
}
