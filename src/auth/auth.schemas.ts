import { type Static, Type } from "typebox";

export const ScopeSchema = Type.Union([Type.Literal("read"), Type.Literal("write"), Type.Literal("admin")], {
  description: "read ⊂ write ⊂ admin",
});

export const TokenInfoSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scope: ScopeSchema,
  createdAt: Type.Integer(),
  lastUsedAt: Type.Union([Type.Integer(), Type.Null()]),
  revokedAt: Type.Union([Type.Integer(), Type.Null()]),
});

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, pattern: "^[A-Za-z0-9 ._:@/-]+$" }),
    scope: ScopeSchema,
  },
  { additionalProperties: false },
);

export const CreatedTokenResponse = Type.Object({
  token: Type.String({ description: "Shown once; store it now. nines keeps only its hash." }),
  info: TokenInfoSchema,
});

export const SignInBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const WhoAmIResponse = Type.Object({
  authenticated: Type.Boolean(),
  name: Type.Optional(Type.String()),
  scope: Type.Optional(ScopeSchema),
  via: Type.Optional(Type.Union([Type.Literal("bearer"), Type.Literal("session")])),
  requireTokenForReads: Type.Boolean(),
});

export type TokenInfoDto = Static<typeof TokenInfoSchema>;
export type WhoAmIResponse = Static<typeof WhoAmIResponse>;
