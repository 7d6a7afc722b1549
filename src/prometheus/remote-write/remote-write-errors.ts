import { defineError } from "../../errors/index.js";

export const RemoteWriteVersionError = defineError(
  "NINES_ERR_REMOTEWRITE_VERSION",
  400,
  "A remote-write request names a protocol version other than 0.1.x in `X-Prometheus-Remote-Write-Version` (nines speaks remote write 1.0).",
);
