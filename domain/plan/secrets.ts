import type { PlanIssue } from '../errors';

const SECRET_KEY =
  /^(pass(word|wd)?|secret|secretValue|token|apiKey|accessKey|secretAccessKey|privateKey|credentials?)$/i;
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/**
 * Finds secrets written into a plan: plans are committed and reviewed, so credentials must come from
 * Secrets Manager (`secretArn`), never from the file.
 */
export function findInlineSecrets(value: unknown, path = ''): PlanIssue[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => findInlineSecrets(item, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      const here = path ? `${path}.${key}` : key;
      if (SECRET_KEY.test(key)) {
        return [
          {
            path: here,
            message:
              'secrets must not be written in a plan; store it in Secrets Manager and reference it with secretArn',
          },
        ];
      }
      return findInlineSecrets(item, here);
    });
  }
  if (typeof value === 'string' && URL_WITH_PASSWORD.test(value)) {
    return [
      {
        path,
        message:
          'this URL carries a password; store the connection in Secrets Manager and reference it with secretArn',
      },
    ];
  }
  return [];
}
