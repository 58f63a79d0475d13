import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

export const CSRF_HEADER = 'x-csrf-token';
const COOKIE = 'cutover_csrf';

/**
 * Double-submit CSRF token for the console: the session call sets it in an HttpOnly, SameSite=Strict
 * cookie and returns it in the body; every POST must echo it in the X-CSRF-Token header. Another site
 * can make the browser send the cookie, but can neither read the token nor set the header.
 */
export function issueCsrfToken(c: Context): string {
  const existing = getCookie(c, COOKIE);
  if (existing && /^[0-9a-f]{64}$/.test(existing)) return existing;
  const token = randomBytes(32).toString('hex');
  setCookie(c, COOKIE, token, {
    path: '/console',
    httpOnly: true,
    sameSite: 'Strict',
    secure: new URL(c.req.url).protocol === 'https:',
  });
  return token;
}

/** Refuses (403) any non-GET request whose header does not match its cookie. */
export const requireCsrfToken: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  const cookie = getCookie(c, COOKIE) ?? '';
  const header = c.req.header(CSRF_HEADER) ?? '';
  const ok =
    cookie.length > 0 &&
    cookie.length === header.length &&
    timingSafeEqual(Buffer.from(cookie), Buffer.from(header));
  if (!ok) {
    return c.json(
      { error: 'CsrfTokenMissing', message: 'missing or wrong CSRF token: reload the console page' },
      403,
    );
  }
  return next();
};
