import { defineError } from "../errors/index.js";

export const RulesUnsupportedError = defineError(
  "NINES_ERR_PROMRULES_UNSUPPORTED",
  422,
  "An SLO cannot be compiled into Prometheus rules (push source, missing `{{window}}` placeholder or invalid label name).",
);
export const SelectorInvalidError = defineError(
  "NINES_ERR_PROMSELECTOR_INVALID",
  400,
  'A Prometheus series selector such as `http_requests_total{job="api"}` could not be parsed or holds an invalid regular expression.',
);
export const RemoteWriteSnappyError = defineError(
  "NINES_ERR_REMOTEWRITE_SNAPPY",
  400,
  "A remote-write body is not valid snappy block-format data (corrupt or truncated).",
);
export const RemoteWriteProtobufError = defineError(
  "NINES_ERR_REMOTEWRITE_PROTOBUF",
  400,
  "A remote-write body decompressed but is not a valid prometheus.WriteRequest protobuf message.",
);
export const RemoteWriteTooLargeError = defineError(
  "NINES_ERR_REMOTEWRITE_TOO_LARGE",
  413,
  "A remote-write body declares a decompressed size above the configured limit.",
);
export const AlertmanagerPayloadInvalidError = defineError(
  "NINES_ERR_ALERTMANAGER_PAYLOAD_INVALID",
  400,
  "An Alertmanager webhook payload does not match the version 4 schema.",
);
