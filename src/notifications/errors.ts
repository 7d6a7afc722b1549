import { defineError } from "../errors/index.js";

export const ReceiverInvalidError = defineError(
  "NINES_ERR_NOTIFY_RECEIVER_INVALID",
  400,
  "A receiver's configuration is invalid (unknown type, missing field, a URL that is not http(s) or points at a blocked address); `details` names the field.",
);
export const ReceiverNotFoundError = defineError(
  "NINES_ERR_NOTIFY_RECEIVER_NOT_FOUND",
  404,
  "No receiver with this name exists.",
);
export const ReceiverExistsError = defineError(
  "NINES_ERR_NOTIFY_RECEIVER_EXISTS",
  409,
  "A receiver with this name already exists; update it with PUT instead.",
);
export const NotificationNotFoundError = defineError(
  "NINES_ERR_NOTIFY_NOT_FOUND",
  404,
  "No notification with this id exists.",
);
export const DestinationBlockedError = defineError(
  "NINES_ERR_NOTIFY_DESTINATION_BLOCKED",
  400,
  "A receiver's address resolved to a loopback, private, link-local or cloud-metadata address that is not in `notifications.allowedHosts`; nothing was sent.",
);
export const DeliveryFailedError = defineError(
  "NINES_ERR_NOTIFY_DELIVERY_FAILED",
  502,
  "A receiver answered a delivery attempt with an error status or the connection failed; the attempt is recorded and retried unless the error is permanent.",
);
export const SmtpError = defineError(
  "NINES_ERR_NOTIFY_SMTP",
  502,
  "The SMTP server refused a command of an email delivery (its reply code and text are in the message), or SMTP is not configured.",
);
