/**
 * Loads every module that defines errors, so that `registeredErrors()` lists them all (for
 * docs/errors.md and its test). A new domain's errors.ts is added here.
 */
import "../auth/errors.js";
import "../cli/errors.js";
import "../config/errors.js";
import "../db/errors.js";
import "../incidents/errors.js";
import "../incidents/incident-api-errors.js";
import "../notifications/errors.js";
import "../oncall/errors.js";
import "../oncall/oncall-api-errors.js";
import "../prometheus/errors.js";
import "../prometheus/remote-write/remote-write-errors.js";
import "../resilience/errors.js";
import "../signals/errors.js";
import "../signals/event-log.errors.js";
import "../signals/maintenance.errors.js";
import "../signals/page-errors.js";
import "../signals/silences.errors.js";
import "../signals/tickets.errors.js";
import "../slo/calendar-errors.js";
import "../slo/errors.js";
import "../slo/evaluator-errors.js";
import "../slo/slo-api-errors.js";
import "../slo/sources/errors.js";
import "../tsdb/errors.js";
import "./common.js";

export { registeredErrors } from "./define-error.js";
