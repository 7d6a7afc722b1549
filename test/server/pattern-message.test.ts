import { Type } from "typebox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fieldErrors } from "../../src/schema/field-errors.js";
import { createTestApp, type TestApp } from "../support/test-app.js";

describe("a pattern that words its own message", () => {
  const schema = Type.Object({
    links: Type.Array(
      Type.Object({
        url: Type.String({ pattern: "^https?://", patternMessage: "must be an http or https URL" }),
      }),
    ),
    code: Type.String({ pattern: "^[A-Z]+$" }),
  });

  it("is reported in words by the file and config validator, and other patterns keep the default", () => {
    expect(fieldErrors(schema, { links: [{ url: "https://a" }, { url: "ftp://b" }], code: "x" })).toEqual([
      { path: "links[1].url", message: "must be an http or https URL" },
      { path: "code", message: 'must match pattern "^[A-Z]+$"' },
    ]);
  });

  describe("in a request body", () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    it("is reported in words with the field's path", async () => {
      const response = await t.app.inject({
        method: "POST",
        url: "/api/v1/receivers",
        headers: { authorization: `Bearer ${await t.token("admin")}` },
        payload: { name: "hook", type: "webhook", config: { url: "hooks.example.com/x" } },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details).toContainEqual({
        path: "config.url",
        message: "must start with http:// or https://",
      });
    });
  });
});
