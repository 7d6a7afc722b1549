import { type Static, Type } from "typebox";

export const HealthResponse = Type.Object({ status: Type.Literal("ok") });

export const ReadyResponse = Type.Object({
  status: Type.Union([Type.Literal("ready"), Type.Literal("not ready")]),
  database: Type.Object({
    dialect: Type.Union([Type.Literal("sqlite"), Type.Literal("postgres")]),
    reachable: Type.Boolean(),
    pendingMigrations: Type.Array(Type.String()),
    error: Type.Optional(Type.String()),
  }),
});

export const VersionResponse = Type.Object({
  name: Type.Literal("nines"),
  version: Type.String(),
  node: Type.String(),
  dialect: Type.Union([Type.Literal("sqlite"), Type.Literal("postgres")]),
  leader: Type.Boolean(),
  startedAt: Type.Integer({ description: "Unix time in ms when this process started." }),
});

export type ReadyResponse = Static<typeof ReadyResponse>;
export type VersionResponse = Static<typeof VersionResponse>;
