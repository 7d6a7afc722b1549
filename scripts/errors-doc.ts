/**
 * Writes docs/errors.md from the error registry: `npm run docs:errors`.
 * test/errors/errors-doc.test.ts fails when the file and the registry disagree.
 */
import { writeFileSync } from "node:fs";
import { renderErrorsDoc } from "../src/errors/errors-doc.js";

writeFileSync(new URL("../docs/errors.md", import.meta.url), renderErrorsDoc());
process.stdout.write("wrote docs/errors.md\n");
