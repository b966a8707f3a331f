// Google's own Node clients (googleapis 188, google-auth-library 11.3.4, pinned in package.json)
// against the gapi emulator: what a real Node app sees. Driven by
// crates/gapi-emulator/tests/it/real_clients.rs, which asserts on the output.
//
//   node node_emulator_client.mjs SCENARIO   with GAPI_EMU = JSON {base, client_id,
//                                             client_secret, ...scenario inputs}
//
// Prints ONE JSON line: what the clients returned (or the errors they threw). It does not
// judge; the Rust test does. Scenarios: identity, errors, drive, refresh.

import crypto from 'node:crypto';
import { google } from 'googleapis';
import { OAuth2Client } from 'google-auth-library';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const cfg = JSON.parse(process.env.GAPI_EMU ?? '{}');
const base = cfg.base;
const rootUrl = `${base}/`;

/** An OAuth2Client whose every endpoint is the emulator's. */
function oauthClient(extra = {}) {
  return new OAuth2Client({
    clientId: cfg.client_id,
    clientSecret: cfg.client_secret,
    endpoints: {
      tokenInfoUrl: `${base}/tokeninfo`,
      oauth2AuthBaseUrl: `${base}/o/oauth2/v2/auth`,
      oauth2TokenUrl: `${base}/token`,
      oauth2RevokeUrl: `${base}/revoke`,
      oauth2FederatedSignonPemCertsUrl: `${base}/oauth2/v1/certs`,
      oauth2FederatedSignonJwkCertsUrl: `${base}/oauth2/v3/certs`,
    },
    ...extra,
  });
}

function withToken(token) {
  const client = oauthClient();
  client.setCredentials({ access_token: token });
  return client;
}

/** A thrown client error, reduced to what an app can read. */
function describe(e) {
  const headers = e?.response?.headers;
  const header = (name) =>
    headers && typeof headers.get === 'function' ? headers.get(name) : headers?.[name];
  return {
    thrown: true,
    message: String(e?.message ?? e),
    status: e?.status ?? e?.response?.status ?? null,
    data: e?.response?.data ?? null,
    www_authenticate: header('www-authenticate') ?? null,
    errors: e?.errors ?? null,
  };
}

async function attempt(fn) {
  try {
    return { thrown: false, value: await fn() };
  } catch (e) {
    return describe(e);
  }
}

async function identity() {
  const auth = withToken(cfg.access_token);
  const oauth2 = google.oauth2({ version: 'v2', auth, rootUrl });
  const out = {};
  out.userinfo_v2 = await attempt(async () => (await oauth2.userinfo.get()).data);
  out.userinfo_v2_me = await attempt(async () => (await oauth2.userinfo.v2.me.get()).data);
  out.userinfo_v3 = await attempt(
    async () => (await auth.request({ url: `${base}/oauth2/v3/userinfo` })).data,
  );
  // getTokenInfo() sends the token in the Authorization header of an empty POST.
  out.token_info = {};
  for (const path of ['/tokeninfo', '/oauth2/v3/tokeninfo', '/oauth2/v2/tokeninfo']) {
    const client = oauthClient();
    client.endpoints.tokenInfoUrl = `${base}${path}`;
    out.token_info[path] = await attempt(() => client.getTokenInfo(cfg.access_token));
  }
  // The oauth2 v2 document's tokeninfo method: POST with access_token in the query.
  out.tokeninfo_method = await attempt(
    async () => (await oauth2.tokeninfo({ access_token: cfg.access_token })).data,
  );
  // verifyIdToken reads the PEM certificates at /oauth2/v1/certs.
  const verifier = oauthClient({ issuers: [base] });
  out.verify_id_token = await attempt(async () =>
    (await verifier.verifyIdToken({ idToken: cfg.id_token, audience: cfg.client_id })).getPayload(),
  );
  const stranger = oauthClient({ issuers: [base] });
  out.verify_wrong_audience = await attempt(async () =>
    (await stranger.verifyIdToken({ idToken: cfg.id_token, audience: 'someone-else' })).getPayload(),
  );
  // jose, a generic OIDC library: discovery document, then the JWK Set it names.
  out.openid_configuration = await attempt(async () => {
    const r = await fetch(`${base}/.well-known/openid-configuration`);
    return { status: r.status, body: await r.json() };
  });
  out.jose = await attempt(async () => {
    const jwksUri = out.openid_configuration.value.body.jwks_uri;
    const jwks = createRemoteJWKSet(new URL(jwksUri));
    const { payload, protectedHeader } = await jwtVerify(cfg.id_token, jwks, {
      issuer: out.openid_configuration.value.body.issuer,
      audience: cfg.client_id,
    });
    return { payload, protectedHeader };
  });
  return out;
}

async function errors() {
  const list = (auth) =>
    attempt(async () => (await google.drive({ version: 'v3', auth, rootUrl }).files.list()).data);
  return {
    no_token: await list(undefined),
    bad_token: await list(withToken('ya29.not-a-token')),
    narrow_scope: await list(withToken(cfg.narrow_token)),
  };
}

function md5(text) {
  return crypto.createHash('md5').update(text).digest('hex');
}

async function drive() {
  const auth = withToken(cfg.access_token);
  const d = google.drive({ version: 'v3', auth, rootUrl });
  const out = {};
  const content = 'hello from googleapis\n';
  const start = await d.changes.getStartPageToken({});
  out.start_page_token = start.data;
  // googleapis rewrites only the method URL with the global rootUrl, not the media upload
  // URL: uploads need rootUrl in the call's own options.
  const created = await d.files.create(
    {
      requestBody: { name: 'node-md5.txt' },
      media: { mimeType: 'text/plain', body: content },
      fields: 'id,name,md5Checksum,size',
    },
    { rootUrl },
  );
  out.created = created.data;
  out.expected_md5 = md5(content);
  const got = await d.files.get({ fileId: created.data.id, fields: 'md5Checksum' });
  out.got_md5 = got.data.md5Checksum;
  const media = await d.files.get(
    { fileId: created.data.id, alt: 'media' },
    { responseType: 'text' },
  );
  out.media = { body: media.data, etag: media.headers.get?.('etag') ?? media.headers.etag ?? null };

  // Export every Docs-type file of the user to a few types.
  const docs = await d.files.list({
    q: "mimeType = 'application/vnd.google-apps.document' and trashed = false",
    fields: 'files(id,name,mimeType)',
  });
  const doc = docs.data.files[0];
  out.doc = doc;
  out.exports = {};
  for (const type of ['text/plain', 'text/html', 'application/pdf']) {
    out.exports[type] = await attempt(async () => {
      const r = await d.files.export(
        { fileId: doc.id, mimeType: type },
        { responseType: 'arraybuffer' },
      );
      const bytes = Buffer.from(r.data);
      return {
        content_type: r.headers.get?.('content-type') ?? null,
        text_start: bytes.subarray(0, 200).toString('latin1'),
        length: bytes.length,
      };
    });
  }
  out.export_unsupported = await attempt(
    async () => (await d.files.export({ fileId: doc.id, mimeType: 'image/x-unknown' })).data,
  );
  out.export_binary = await attempt(
    async () => (await d.files.export({ fileId: created.data.id, mimeType: 'text/plain' })).data,
  );

  const ids = await d.files.generateIds({ count: 3 });
  out.generated = ids.data;
  out.create_with_id = await attempt(
    async () =>
      (await d.files.create({
        requestBody: { id: ids.data.ids[0], name: 'pre-chosen id' },
        fields: 'id,name',
      })).data,
  );

  // Permissions: share with bob, list, delete.
  const perm = await d.permissions.create({
    fileId: created.data.id,
    requestBody: { role: 'reader', type: 'user', emailAddress: 'bob@example.com' },
    sendNotificationEmail: false,
  });
  out.permission_created = perm.data;
  out.permissions_after_create = (
    await d.permissions.list({ fileId: created.data.id, fields: '*' })
  ).data;
  out.bob_sees = await attempt(
    async () =>
      (await google
        .drive({ version: 'v3', auth: withToken(cfg.bob_token), rootUrl })
        .files.get({ fileId: created.data.id, fields: 'id,name' })).data,
  );
  await d.permissions.delete({ fileId: created.data.id, permissionId: perm.data.id });
  out.permissions_after_delete = (await d.permissions.list({ fileId: created.data.id })).data;
  out.bob_sees_after_delete = await attempt(
    async () =>
      (await google
        .drive({ version: 'v3', auth: withToken(cfg.bob_token), rootUrl })
        .files.get({ fileId: created.data.id, fields: 'id,name' })).data,
  );

  // Changes since the start token: the created file (and the permission changes) appear.
  out.changes = (
    await d.changes.list({ pageToken: start.data.startPageToken, fields: '*' })
  ).data;

  // Trash a file, then empty the trash.
  await d.files.update({ fileId: created.data.id, requestBody: { trashed: true } });
  out.trashed_before = (await d.files.list({ q: 'trashed = true', fields: 'files(id)' })).data;
  await d.files.emptyTrash({});
  out.trashed_after = (await d.files.list({ q: 'trashed = true', fields: 'files(id)' })).data;
  out.get_after_empty = await attempt(
    async () => (await d.files.get({ fileId: created.data.id })).data,
  );
  return out;
}

async function refresh() {
  const client = oauthClient();
  client.setCredentials({ refresh_token: cfg.refresh_token });
  return { refresh: await attempt(async () => (await client.refreshAccessToken()).credentials) };
}

const scenarios = { identity, errors, drive, refresh };
const name = process.argv[2];
if (!scenarios[name]) {
  console.error(`unknown scenario ${name}; one of ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
try {
  console.log(JSON.stringify(await scenarios[name]()));
} catch (e) {
  console.log(JSON.stringify({ scenario_failed: describe(e), stack: String(e?.stack) }));
  process.exit(1);
}
