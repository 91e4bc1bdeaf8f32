// The ports fetch refuses to connect to, whatever the server: the Fetch standard's "bad port" list
// (https://fetch.spec.whatwg.org/#port-blocking, "A port is a bad port if it is listed in the
// first column of the following table"), as of whatwg/fetch commit 586cd2a (2026-07-02). They are
// the ports of protocols (SMTP, IRC, X11, …) an HTTP request could be smuggled into. Node's
// undici, Deno and browsers refuse them with a bare `TypeError: fetch failed` (cause "bad port");
// anyjob refuses them itself, before anything is sent, so the error names the port.
const BAD_PORTS: ReadonlySet<number> = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
  109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
  526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** The port of `url` when fetch would refuse it as a bad port (http and https URLs only), else undefined. */
export function badPortOf(url: URL): number | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // `port` is '' for the scheme's default (80, 443), which is never a bad port.
  if (url.port === '') return undefined;
  const port = Number(url.port);
  return BAD_PORTS.has(port) ? port : undefined;
}
