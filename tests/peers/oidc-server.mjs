#!/usr/bin/env node
// A real, OpenID-certified authorization server (npm `oidc-provider`) on 127.0.0.1 for gapi's tests.
//
// Usage: node tests/peers/oidc-server.mjs [--port N] [--access-token-ttl SECS] [--device-interval SECS]
//   --port N               listen on 127.0.0.1:N (default 0: the OS picks a free port; the issuer
//                          URL carries the chosen port, because the port is bound before the
//                          provider is created)
//   --access-token-ttl S   lifetime of access tokens (default 3600)
//   --device-interval S    add `interval: S` to device authorization responses (oidc-provider
//                          itself sends none, so clients must default to 5 s; leave unset to test
//                          exactly that)
// Environment equivalents: OIDC_PORT, OIDC_ACCESS_TOKEN_TTL, OIDC_DEVICE_INTERVAL.
//
// When ready it prints ONE JSON line on stdout: the issuer's discovery document subset
//   {"issuer", "authorization_endpoint", "token_endpoint", "revocation_endpoint",
//    "device_authorization_endpoint", "userinfo_endpoint", "jwks_uri", "client_id", "port"}
// and serves until it is killed or its stdin closes (so a test that dies takes it down too).
// oidc-provider's own warnings (dev keys, dev interactions) go to stderr.
//
// Clients:
//   gapi-native             public native client (token_endpoint_auth_method none), PKCE S256
//                           required, redirect URIs http://127.0.0.1/callback,
//                           http://localhost/callback, http://127.0.0.1/ and http://localhost/
//                           (any port: oidc-provider ignores loopback ports for native clients,
//                           but matches host and path exactly).
//   gapi-confidential       the same with client_secret "gapi-confidential-secret", sent with
//                           HTTP Basic (client_secret_basic; what requests-oauthlib does).
//   gapi-confidential-post  the same secret, sent in the form body (client_secret_post).
// Both may use authorization_code, refresh_token and the device grant. Refresh tokens are issued
// on every code/device exchange (with or without offline_access) and rotated on every use by the
// public client (replaying an old one revokes the grant).
import fs from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const GOOGLE_SCOPES = [
  'https://www.googleapis.com/auth/drive',
  'https://www.googleapis.com/auth/drive.readonly',
  'https://www.googleapis.com/auth/drive.metadata.readonly',
  'https://www.googleapis.com/auth/drive.file',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/devstorage.read_write',
  'https://www.googleapis.com/auth/cloud-platform',
];

const GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:device_code',
];

// Loopback ports are ignored for native clients; host and path must match exactly. `/` is what
// google-auth-oauthlib's run_local_server uses.
const REDIRECT_URIS = [
  'http://127.0.0.1/callback',
  'http://localhost/callback',
  'http://127.0.0.1/',
  'http://localhost/',
];

function fail(message) {
  process.stderr.write(`oidc-server: ${message}\n`);
  process.exit(2);
}

function intOption(value, name, fallback) {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

// stdout carries exactly one line, the ready line. oidc-provider prints notices with console.log
// (e.g. on the first device flow): send those to stderr, and never die because a reader of our
// stdout went away (EPIPE).
const writeStdout = process.stdout.write.bind(process.stdout);
console.log = (...a) => console.error(...a);
console.info = (...a) => console.error(...a);
process.stdout.on('error', () => {});

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      port: { type: 'string' },
      'access-token-ttl': { type: 'string' },
      'device-interval': { type: 'string' },
      help: { type: 'boolean' },
    },
  }));
} catch (err) {
  fail(`${err.message}\nusage: node oidc-server.mjs [--port N] [--access-token-ttl SECS] [--device-interval SECS]`);
}
if (args.help) {
  process.stdout.write('usage: node oidc-server.mjs [--port N] [--access-token-ttl SECS] [--device-interval SECS]\n');
  process.exit(0);
}

const port = intOption(args.port ?? process.env.OIDC_PORT, '--port', 0);
const accessTokenTtl = intOption(args['access-token-ttl'] ?? process.env.OIDC_ACCESS_TOKEN_TTL, '--access-token-ttl', 3600);
const deviceInterval = intOption(args['device-interval'] ?? process.env.OIDC_DEVICE_INTERVAL, '--device-interval', undefined);

// Bind first: the issuer must contain the real port, and binding before creating the provider
// leaves no window in which another process could take a port we probed.
const server = http.createServer();
server.on('error', (err) => fail(`cannot listen on 127.0.0.1:${port}: ${err.message}`));
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
const boundPort = server.address().port;
const issuer = `http://127.0.0.1:${boundPort}`;

const clientBase = {
  application_type: 'native',
  grant_types: GRANT_TYPES,
  response_types: ['code'],
  redirect_uris: REDIRECT_URIS,
};

const provider = new Provider(issuer, {
  clients: [
    { ...clientBase, client_id: 'gapi-native', token_endpoint_auth_method: 'none' },
    {
      ...clientBase,
      client_id: 'gapi-confidential',
      client_secret: 'gapi-confidential-secret',
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      ...clientBase,
      client_id: 'gapi-confidential-post',
      client_secret: 'gapi-confidential-secret',
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  // Unknown scopes are dropped silently by oidc-provider: list Google's so they survive.
  scopes: ['openid', 'offline_access', 'email', 'profile', ...GOOGLE_SCOPES],
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    revocation: { enabled: true },
    deviceFlow: { enabled: true },
    introspection: { enabled: true },
  },
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  ttl: {
    AccessToken: accessTokenTtl,
    AuthorizationCode: 600,
    DeviceCode: 600,
    IdToken: 3600,
    RefreshToken: 14 * 24 * 60 * 60,
    Interaction: 3600,
    Session: 3600,
    Grant: 14 * 24 * 60 * 60,
  },
  // Everything is loopback http: let the session cookies work without TLS.
  cookies: { long: { secure: false }, short: { secure: false } },
  // The default error page and device pages pull a web font from the internet; ours stay local.
  renderError: async (ctx, out, error) => {
    ctx.type = 'html';
    const rows = Object.entries(out)
      .map(([k, v]) => `<li><b>${escapeHtml(k)}</b>: ${escapeHtml(String(v))}</li>`)
      .join('');
    ctx.body = `<!DOCTYPE html><html><head><title>oidc-provider error</title></head><body><h1>oops! something went wrong</h1><ul>${rows}</ul></body></html>`;
    if (error && process.env.OIDC_DEBUG) process.stderr.write(`oidc-server: ${error.stack ?? error}\n`);
  },
});
provider.on('server_error', (_ctx, err) => process.stderr.write(`oidc-server: server_error: ${err.stack ?? err}\n`));

if (deviceInterval !== undefined) {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/device/auth' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      ctx.body = { ...ctx.body, interval: deviceInterval };
    }
  });
}

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

server.on('request', provider.callback());

// Read the discovery document through HTTP, exactly as a client would, so the printed line is
// what the server really serves.
const discovery = await new Promise((resolve, reject) => {
  http.get(`${issuer}/.well-known/openid-configuration`, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => { body += chunk; });
    res.on('end', () => {
      try { resolve(JSON.parse(body)); } catch (err) { reject(err); }
    });
  }).on('error', reject);
}).catch((err) => fail(`discovery self-check failed: ${err.message}`));

const ready = {
  issuer: discovery.issuer,
  authorization_endpoint: discovery.authorization_endpoint,
  token_endpoint: discovery.token_endpoint,
  revocation_endpoint: discovery.revocation_endpoint,
  device_authorization_endpoint: discovery.device_authorization_endpoint,
  userinfo_endpoint: discovery.userinfo_endpoint,
  introspection_endpoint: discovery.introspection_endpoint,
  jwks_uri: discovery.jwks_uri,
  client_id: 'gapi-native',
  confidential_client_id: 'gapi-confidential',
  confidential_client_secret: 'gapi-confidential-secret',
  confidential_post_client_id: 'gapi-confidential-post',
  port: boundPort,
};
writeStdout(`${JSON.stringify(ready)}\n`);

function shutdown() {
  server.close();
  server.closeAllConnections?.();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
// A parent that dies closes our stdin: follow it. Only when stdin is a pipe or socket (/dev/null
// would end at once, a terminal never).
let stdinIsPipe = false;
try {
  const st = fs.fstatSync(0);
  stdinIsPipe = st.isFIFO() || st.isSocket();
} catch { /* no stdin at all */ }
if (stdinIsPipe) {
  process.stdin.on('end', shutdown);
  process.stdin.on('error', shutdown);
  process.stdin.resume();
}
