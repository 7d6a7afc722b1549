import type { Kysely, Selectable } from "kysely";
import type { Database } from "../db/database.js";
import { ReceiverExistsError, ReceiverNotFoundError } from "./errors.js";
import type { NotificationReceiversTable } from "./notifications.tables.js";
import type { Receiver, ReceiverConfigs, ReceiverType } from "./receivers.js";

export interface ReceiverInput {
  readonly name: string;
  readonly type: ReceiverType;
  readonly description?: string | undefined;
  readonly config: ReceiverConfigs[ReceiverType];
}

function toReceiver(row: Selectable<NotificationReceiversTable>): Receiver {
  return {
    name: row.name,
    type: row.type,
    config: JSON.parse(row.config),
    ...(row.description !== null ? { description: row.description } : {}),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    updatedBy: row.updated_by,
  } as Receiver;
}

/**
 * Receivers by name. Every change is written to the audit log with the actor, never with the
 * configuration (it holds secrets).
 */
export function receiversStore(db: Kysely<Database>) {
  const audit = (
    trx: Kysely<Database>,
    at: number,
    actor: string,
    action: string,
    name: string,
    type: string,
  ) =>
    trx
      .insertInto("audit_log")
      .values({ at, actor, action, subject: `receiver:${name}`, details: JSON.stringify({ type }) })
      .execute();

  return {
    async list(): Promise<Receiver[]> {
      const rows = await db.selectFrom("notification_receivers").selectAll().orderBy("name").execute();
      return rows.map(toReceiver);
    },

    async get(name: string): Promise<Receiver | undefined> {
      const row = await db
        .selectFrom("notification_receivers")
        .selectAll()
        .where("name", "=", name)
        .executeTakeFirst();
      return row ? toReceiver(row) : undefined;
    },

    async byNames(names: readonly string[]): Promise<Map<string, Receiver>> {
      if (names.length === 0) return new Map();
      const rows = await db
        .selectFrom("notification_receivers")
        .selectAll()
        .where("name", "in", [...new Set(names)])
        .execute();
      return new Map(rows.map((r) => [r.name, toReceiver(r)]));
    },

    async create(input: ReceiverInput, actor: string, now = Date.now()): Promise<Receiver> {
      return db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom("notification_receivers")
          .select("name")
          .where("name", "=", input.name)
          .executeTakeFirst();
        if (existing)
          throw new ReceiverExistsError(`a receiver named "${input.name}" exists`, { name: input.name });
        await trx
          .insertInto("notification_receivers")
          .values({
            name: input.name,
            type: input.type,
            config: JSON.stringify(input.config),
            description: input.description ?? null,
            created_at: now,
            updated_at: now,
            updated_by: actor,
          })
          .execute();
        await audit(trx, now, actor, "receiver.create", input.name, input.type);
        return toReceiver({
          name: input.name,
          type: input.type,
          config: JSON.stringify(input.config),
          description: input.description ?? null,
          created_at: now,
          updated_at: now,
          updated_by: actor,
        });
      });
    },

    async update(input: ReceiverInput, actor: string, now = Date.now()): Promise<Receiver> {
      return db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable("notification_receivers")
          .set({
            type: input.type,
            config: JSON.stringify(input.config),
            description: input.description ?? null,
            updated_at: now,
            updated_by: actor,
          })
          .where("name", "=", input.name)
          .returningAll()
          .executeTakeFirst();
        if (!result)
          throw new ReceiverNotFoundError(`no receiver named "${input.name}"`, { name: input.name });
        await audit(trx, now, actor, "receiver.update", input.name, input.type);
        return toReceiver(result);
      });
    },

    async remove(name: string, actor: string, now = Date.now()): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const result = await trx
          .deleteFrom("notification_receivers")
          .where("name", "=", name)
          .returning(["type"])
          .executeTakeFirst();
        if (!result) throw new ReceiverNotFoundError(`no receiver named "${name}"`, { name });
        await audit(trx, now, actor, "receiver.delete", name, result.type);
      });
    },
  };
}

export type ReceiversStore = ReturnType<typeof receiversStore>;
