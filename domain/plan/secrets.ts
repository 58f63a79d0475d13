import type { PlanIssue } from '../errors';
import { showValue } from '../safe-text';
import { childPath } from './field-path';

/** A field whose very name says it holds a secret. */
const SECRET_KEY =
  /^(pass(word|wd)?|secret|secretValue|token|apiKey|accessKey|secretAccessKey|privateKey|credentials?)$/i;
/** Words that make a free-form name (a stack parameter) a secret: DBMasterPassword, GitHubToken, ApiKey. */
const SECRET_WORD =
  /pass(word|wd|phrase)|secret|token|credential|private[-_]?key|api[-_]?key|access[-_]?key|signing[-_]?key|auth[-_]?key|master[-_]?key/i;
/** Query parameters that carry credentials, presigned-URL signatures included. */
const SECRET_QUERY =
  /^(x-amz-(signature|credential|security-token)|signature|sig|token|access[-_]?token|auth(orization)?|api[-_]?key|key|secret|client[-_]?secret|password|pass|pwd|session|sessionid)$/i;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;
/** A value that points at a secret instead of holding it. */
const SECRET_REFERENCE =
  /^(arn:aws[a-z-]*:(secretsmanager|ssm|kms):|\{\{resolve:(secretsmanager|ssm|ssm-secure):|\/)/;

const STORE_IT = 'store it in Secrets Manager and reference it with secretArn';

/**
 * Finds secrets written into a plan: plans are committed and reviewed, and their content goes into
 * the execution history and CloudFormation parameters, so credentials must come from Secrets Manager,
 * never from the file.
 */
export function findInlineSecrets(value: unknown, path = ''): PlanIssue[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => findInlineSecrets(item, childPath(path, i)));
  if (value && typeof value === 'object') {
    const parameters = path === 'deploy.parameters';
    return Object.entries(value).flatMap(([key, item]): PlanIssue[] => {
      const here = childPath(path, key);
      if (SECRET_KEY.test(key)) {
        return [{ path: here, message: `secrets must not be written in a plan; ${STORE_IT}` }];
      }
      if (parameters && SECRET_WORD.test(key) && !isReference(item)) {
        return [
          {
            path: here,
            message:
              'the name says this parameter is a secret, and a stack parameter is stored in the plan, the execution history and CloudFormation; have the template read it with a dynamic reference ({{resolve:secretsmanager:<secret-id>:SecretString:<key>}}) or pass the secret’s ARN',
          },
        ];
      }
      return findInlineSecrets(item, here);
    });
  }
  if (typeof value === 'string' && URL_LIKE.test(value)) {
    const problem = urlSecret(value);
    if (problem) return [{ path, message: `this URL ${problem}; ${STORE_IT}` }];
  }
  return [];
}

function isReference(value: unknown): boolean {
  return typeof value === 'string' && (value === '' || SECRET_REFERENCE.test(value));
}

/** What secret a URL carries: user info of any kind, or a credential in its query string. */
function urlSecret(text: string): string | undefined {
  // Checked on the text as well as the parsed URL: "https://:pw@host" parses with an empty user name.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(text)?.[1] ?? '';
  if (authority.includes('@')) return 'carries user info ("user:password@")';
  if (!URL.canParse(text)) return undefined;
  const names = [...new URL(text).searchParams.keys()];
  const credential = names.find((name) => SECRET_QUERY.test(name));
  return credential === undefined
    ? undefined
    : `carries a credential in its query string (${showValue(credential)})`;
}
