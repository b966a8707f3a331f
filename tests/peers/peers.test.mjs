// Self-test of the test peers themselves, independent of gapi: oidc-server.mjs starts, browser.mjs
// logs in through oidc-provider's real pages to a loopback listener, and the token endpoint then
// behaves as gapi's tests expect (PKCE, refresh rotation, replay detection, revocation, device
// flow without `interval`). If this fails, a gapi peer test failing is not gapi's fault.
//
// Run: node --test tests/peers/   (after scripts/setup-test-deps.sh)
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
let oidc;
let cfg;
let listener;
let listenerPort;
const callbacks = [];

function b64url(buf) {
  return buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function runNode(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

async function token(form) {
  const res = await fetch(cfg.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: await res.json() };
}

before(async () => {
  oidc = spawn(process.execPath, [path.join(here, 'oidc-server.mjs'), '--port', '0'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: oidc.stdout });
    rl.once('line', resolve);
    oidc.once('exit', (code) => reject(new Error(`oidc-server.mjs exited early (${code})`)));
  });
  cfg = JSON.parse(line);
  listener = http.createServer((req, res) => {
    callbacks.push(new URL(req.url, 'http://127.0.0.1'));
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<title>loopback done</title><p>received</p>');
  });
  await new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerPort = listener.address().port;
});

after(() => {
  oidc?.stdin.end();
  oidc?.kill();
  listener?.close();
});

async function browserLogin({ action = 'allow', scope = 'openid offline_access https://www.googleapis.com/auth/drive.readonly' } = {}) {
  const verifier = b64url(crypto.randomBytes(32));
  const state = b64url(crypto.randomBytes(16));
  const redirectUri = `http://127.0.0.1:${listenerPort}/callback`;
  const url = new URL(cfg.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: cfg.client_id,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope,
    state,
    prompt: 'consent',
    code_challenge: b64url(crypto.createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  }).toString();
  const r = await runNode([path.join(here, 'browser.mjs'), url.toString(), '--action', action, '--login', 'alice']);
  assert.equal(r.code, 0, `browser.mjs failed: ${r.err}`);
  const report = JSON.parse(r.out.trim());
  const final = new URL(report.final_url);
  assert.equal(final.origin, `http://127.0.0.1:${listenerPort}`);
  assert.equal(final.pathname, '/callback');
  assert.equal(final.searchParams.get('state'), state);
  assert.equal(final.searchParams.get('iss'), cfg.issuer, 'RFC 9207 iss comes with the redirect');
  assert.equal(report.title, 'loopback done');
  return { final, verifier, redirectUri, report };
}

test('loopback login through the real pages, PKCE exchange, refresh rotation, replay, revoke', async () => {
  const { final, verifier, redirectUri } = await browserLogin();
  const code = final.searchParams.get('code');
  assert.ok(code, 'a code came back');

  const wrongVerifier = await token({ grant_type: 'authorization_code', client_id: cfg.client_id, code, redirect_uri: redirectUri, code_verifier: b64url(crypto.randomBytes(32)) });
  assert.equal(wrongVerifier.body.error, 'invalid_grant', 'PKCE is enforced');

  // A fresh login for the successful exchange (the code above was spent on the failed attempt).
  const { final: final2, verifier: verifier2 } = await browserLogin();
  const ok = await token({ grant_type: 'authorization_code', client_id: cfg.client_id, code: final2.searchParams.get('code'), redirect_uri: redirectUri, code_verifier: verifier2 });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.ok(ok.body.access_token && ok.body.refresh_token);
  assert.match(ok.body.scope, /https:\/\/www\.googleapis\.com\/auth\/drive\.readonly/, 'Google scope URLs are kept');
  void verifier;

  const r1 = await token({ grant_type: 'refresh_token', client_id: cfg.client_id, refresh_token: ok.body.refresh_token });
  assert.equal(r1.status, 200);
  assert.notEqual(r1.body.refresh_token, ok.body.refresh_token, 'public clients get rotated refresh tokens');
  const r2 = await token({ grant_type: 'refresh_token', client_id: cfg.client_id, refresh_token: r1.body.refresh_token });
  assert.equal(r2.status, 200, 'the new refresh token works');
  const replay = await token({ grant_type: 'refresh_token', client_id: cfg.client_id, refresh_token: ok.body.refresh_token });
  assert.equal(replay.body.error, 'invalid_grant', 'a replayed old refresh token fails');

  const rev = await fetch(cfg.revocation_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: cfg.client_id, token: r2.body.access_token }),
  });
  assert.equal(rev.status, 200);
  const me = await fetch(cfg.userinfo_endpoint, { headers: { authorization: `Bearer ${r2.body.access_token}` } });
  assert.equal(me.status, 401, 'a revoked access token is refused');
});

test('deny on the consent page redirects with access_denied', async () => {
  const { final } = await browserLogin({ action: 'deny' });
  assert.equal(final.searchParams.get('error'), 'access_denied');
  assert.equal(final.searchParams.get('code'), null);
});

test('device flow approved in the browser on verification_uri_complete', async () => {
  const res = await fetch(cfg.device_authorization_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: cfg.client_id, scope: 'openid offline_access' }),
  });
  const dev = await res.json();
  assert.ok(dev.device_code && dev.user_code && dev.verification_uri_complete, JSON.stringify(dev));
  assert.equal(dev.interval, undefined, 'oidc-provider sends no interval (clients default to 5 s)');
  const pending = await token({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: cfg.client_id, device_code: dev.device_code });
  assert.equal(pending.body.error, 'authorization_pending');

  const r = await runNode([path.join(here, 'browser.mjs'), dev.verification_uri_complete, '--login', 'alice']);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).title, 'Sign-in Success');

  const done = await token({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: cfg.client_id, device_code: dev.device_code });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.ok(done.body.access_token && done.body.refresh_token);
});

test('gcp-storage-emulator (via gcs_emulator.py) serves the Storage JSON API on a port it reports', async (t) => {
  const python = process.env.GAPI_TEST_PYTHON;
  assert.ok(python, 'GAPI_TEST_PYTHON is not set: run scripts/setup-test-deps.sh && . target/test-env.sh');
  const gcs = spawn(python, [path.join(here, 'gcs_emulator.py')], { stdio: ['pipe', 'pipe', 'ignore'] });
  t.after(() => { gcs.stdin.end(); gcs.kill(); });
  const line = await new Promise((resolve, reject) => {
    readline.createInterface({ input: gcs.stdout }).once('line', resolve);
    gcs.once('exit', (code) => reject(new Error(`gcs_emulator.py exited early (${code})`)));
  });
  const { base_url: base } = JSON.parse(line);
  const bucket = await fetch(`${base}/storage/v1/b?project=gapi-test`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'peer-bucket' }),
  });
  assert.equal(bucket.status, 200);
  const up = await fetch(`${base}/upload/storage/v1/b/peer-bucket/o?uploadType=media&name=hello.txt`, {
    method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello, peers',
  });
  assert.equal(up.status, 200);
  assert.equal((await up.json()).size, '12', 'sizes travel as strings (uint64)');
  const ranged = await fetch(`${base}/storage/v1/b/peer-bucket/o/hello.txt?alt=media`, { headers: { range: 'bytes=7-' } });
  assert.equal(ranged.status, 206);
  assert.equal(await ranged.text(), 'peers');
});
