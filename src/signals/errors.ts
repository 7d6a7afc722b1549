import { defineError } from "../errors/index.js";

export const RoutingConfigInvalidError = defineError(
  "NINES_ERR_SIGNALS_ROUTING_INVALID",
  400,
  "The signal routing config does not match its schema or has a bad matcher, regex, duration or time zone; `details` names each field path.",
);
export const MatcherInvalidError = defineError(
  "NINES_ERR_SIGNALS_MATCHER_INVALID",
  400,
  'A label matcher is not of the form name=value, name!=value, name=~regex or name!~regex (value optionally "quoted"), or its regex does not compile.',
);
export const LabelArgInvalidError = defineError(
  "NINES_ERR_SIGNALS_LABEL_ARG_INVALID",
  400,
  "A label argument (as in `nines routes test service=db`) is not name=value with a valid label name, or names a label twice.",
);
export const SilenceInvalidError = defineError(
  "NINES_ERR_SIGNALS_SILENCE_INVALID",
  400,
  "A silence has no matcher, only matchers that also match an absent label (it would silence everything), or ends before it starts.",
);
export const SignalInvalidError = defineError(
  "NINES_ERR_SIGNALS_SIGNAL_INVALID",
  400,
  "A submitted signal misses a required field or has a malformed time, label or link; `details` names each field path.",
);
