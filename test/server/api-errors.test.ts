import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.js";

describe("API input validation", () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp({ server: { bodyLimit: 2048 } });
    admin = await t.token("admin");
  });
  afterAll(() => t.close());

  const post = (body: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/tokens",
      payload: body,
      headers: { "content-type": "application/json", authorization: `Bearer ${admin}`, ...headers },
    });

  it("answers 400 naming the field when a field has the wrong type", async () => {
    const response = await post(JSON.stringify({ name: 42, scope: "read" }));
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.code).toBe("NINES_ERR_REQUEST_INVALID");
    expect(body.error.details).toContainEqual({ path: "body.name", message: "must be string" });
    expect(body.error.message).toContain("body.name");
  });

  it("answers 400 naming an unknown field instead of dropping it", async () => {
    const response = await post(JSON.stringify({ name: "ci", scope: "read", admin: true }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toContainEqual({ path: "body.admin", message: "unknown field" });
  });

  it("answers 400 naming a missing required field", async () => {
    const response = await post(JSON.stringify({ name: "ci" }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toContainEqual({ path: "body.scope", message: "is required" });
  });

  it("answers 400 with its own code for a body that is not JSON", async () => {
    const response = await post("{ not json");
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("NINES_ERR_REQUEST_BAD_JSON");
  });

  it("answers 413 for a body over server.bodyLimit and creates nothing", async () => {
    const response = await post(JSON.stringify({ name: "x".repeat(4096), scope: "read" }));
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe("NINES_ERR_REQUEST_TOO_LARGE");
    const list = await t.app.inject({
      method: "GET",
      url: "/api/v1/tokens",
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(list.json().map((token: { name: string }) => token.name)).toEqual(["test-admin"]);
  });

  it("answers 415 for a content type the route does not take", async () => {
    const response = await post("name=ci", { "content-type": "application/x-www-form-urlencoded" });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe("NINES_ERR_REQUEST_MEDIA_TYPE");
  });

  it("answers 404 in the error format for an unknown API path", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/v1/nothing-here" });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: {
        code: "NINES_ERR_REQUEST_NOT_FOUND",
        message: "no route GET /api/v1/nothing-here",
        details: null,
      },
    });
  });

  it("rejects a bad path parameter with the parameter named", async () => {
    const response = await t.app.inject({
      method: "DELETE",
      url: "/api/v1/tokens/not-an-id",
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe("params.id");
  });
});
