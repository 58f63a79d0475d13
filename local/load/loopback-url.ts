const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The load generator only ever targets this machine: refuse anything else before sending a request. */
export function loopbackUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`targets.${name} is not a URL: ${value}`);
  }
  if (url.protocol !== 'http:') throw new Error(`targets.${name} must be an http:// URL (got ${value})`);
  if (!LOOPBACK_HOSTS.has(url.hostname) && !/^127\.\d+\.\d+\.\d+$/.test(url.hostname)) {
    throw new Error(`targets.${name} must be a loopback address such as 127.0.0.1 (got ${url.hostname})`);
  }
  return url;
}
