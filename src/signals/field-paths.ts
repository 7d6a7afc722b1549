import { isNinesError, NinesError } from "../errors/index.js";

interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

const isProblemList = (details: unknown): details is FieldProblem[] =>
  Array.isArray(details) &&
  details.every((d) => typeof d === "object" && d !== null && typeof (d as FieldProblem).path === "string");

/**
 * Runs `work`; when it fails with a nines error whose details are field problems of a request
 * part (`matchers`, `endsAt`), names them as the API's validation errors do (`body.matchers`).
 */
export async function inRequestPart<T>(part: "body" | "querystring", work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isNinesError(error) || !isProblemList(error.details)) throw error;
    const details = error.details.map((d) => ({ path: `${part}.${d.path}`, message: d.message }));
    throw new NinesError(
      error.code,
      error.statusCode,
      `${error.message.split(":")[0]}: ${details.map((d) => `${d.path}: ${d.message}`).join("; ")}`,
      details,
    );
  }
}
