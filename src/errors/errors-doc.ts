import { registeredErrors } from "./all.js";

/** docs/errors.md: every error code nines answers with, its HTTP status and when it happens. */
export function renderErrorsDoc(): string {
  const rows = registeredErrors().map(
    (e) => `| \`${e.code}\` | ${e.statusCode} | ${e.description.replace(/\|/g, "\\|")} |`,
  );
  return [
    "# Error codes",
    "",
    "Every error nines returns has a stable code: API responses carry it as",
    '`{ "error": { "code": "…", "message": "…", "details": … } }` and the CLI prints it before the',
    "message. Codes are never reused or renamed; a new failure gets a new code. This file is generated",
    "from the error registry (`npm run docs:errors`) and a test checks that the two agree.",
    "",
    "| code | HTTP status | meaning |",
    "| --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}
