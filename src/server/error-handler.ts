import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  BadJsonError,
  InternalError,
  isNinesError,
  type NinesError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "../errors/index.js";
import { pointerToPath } from "../schema/field-errors.js";
import { patternMessageOf } from "../schema/pattern-message.js";

export interface AjvIssue {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
  /** Present because the validators run with `verbose`. */
  parentSchema?: unknown;
}

/** The one error body of the API: `{ "error": { "code", "message", "details" } }`. */
export function errorBody(error: NinesError) {
  return { error: { code: error.code, message: error.message, details: error.details ?? null } };
}

/** The API's validation error for schema issues in one part of a request (`body`, `querystring`…). */
export function validationError(issues: readonly AjvIssue[], context: string): NinesError {
  const details = issues.map((issue) => {
    let path = pointerToPath(issue.instancePath);
    let message = issue.message ?? "is invalid";
    if (issue.keyword === "pattern") message = patternMessageOf(issue.parentSchema) ?? message;
    if (issue.keyword === "additionalProperties") {
      path = path
        ? `${path}.${String(issue.params["additionalProperty"])}`
        : String(issue.params["additionalProperty"]);
      message = "unknown field";
    } else if (issue.keyword === "required") {
      const missing = String(issue.params["missingProperty"]);
      path = path ? `${path}.${missing}` : missing;
      message = "is required";
    }
    return { path: path ? `${context}.${path}` : context, message };
  });
  const summary = details.map((d) => `${d.path} ${d.message}`).join("; ");
  return new ValidationError(`invalid request: ${summary}`, details);
}

/** Maps Fastify's own errors (bad JSON, body too large, schema failures) onto nines' codes. */
export function toNinesError(error: FastifyError): NinesError {
  if (isNinesError(error)) return error;
  if (error.validation)
    return validationError(error.validation as AjvIssue[], error.validationContext ?? "body");
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new BadJsonError(`request body is not valid JSON: ${error.message}`);
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new PayloadTooLargeError(error.message);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new UnsupportedMediaTypeError(error.message);
  }
  if (error instanceof SyntaxError || error.statusCode === 400) return new BadJsonError(error.message);
  if (error.statusCode === 413) return new PayloadTooLargeError(error.message);
  return new InternalError("internal error");
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = toNinesError(error);
    if (mapped.statusCode >= 500) request.log.error({ err: error }, "request failed");
    else request.log.info({ code: mapped.code }, mapped.message);
    const retryAfter = (mapped.details as { retryAfterSeconds?: number } | null)?.retryAfterSeconds;
    if (retryAfter !== undefined) void reply.header("retry-after", String(retryAfter));
    return reply.status(mapped.statusCode).send(errorBody(mapped));
  });
}

export function apiNotFound(request: FastifyRequest, reply: FastifyReply) {
  const error = new NotFoundError(`no route ${request.method} ${request.url.split("?")[0]}`);
  return reply.status(404).send(errorBody(error));
}
