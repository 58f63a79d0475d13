/**
 * An IAM role's ARN, as IAM documents it: any partition, a 12-digit account, an optional path
 * (`/service-role/`) and a name of 1–64 characters from [\w+=,.@-]. No wildcard, no empty segment.
 */
const ROLE = String.raw`arn:aws[a-z-]*:iam::\d{12}:role/(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,64}`;

export const ROLE_ARN = new RegExp(`^${ROLE}$`);

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;

/** Who may be trusted to assume a role: a whole account, or one role in it. */
export const ACCOUNT_ID_OR_ROLE_ARN = new RegExp(`^(?:\\d{12}|${ROLE})$`);
