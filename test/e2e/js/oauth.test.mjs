// The OAuth 2.0 / OpenID Connect endpoints with openid-client (panva's
// certified relying-party library, on oauth4webapi): discovery of a pool's
// issuer, the authorization code grant with PKCE (S256), state and nonce
// checked by the library, the ID token validated, userInfo, refresh and
// revocation; client credentials for a confidential client. The managed
// login form is filled with fetch and a small cookie jar, as a browser
// without JavaScript would.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import * as client from 'openid-client';

import { startCogito, uniq } from './harness.mjs';

const CALLBACK = 'http://localhost:4321/callback';
const PASSWORD = 'Passw0rd!oidc';
const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

/** A browser without JavaScript: fetch with cookies, following redirects on the server only. */
function browser() {
  const jar = new Map();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  async function go(url, init = {}) {
    for (let hops = 0; hops < 10; hops++) {
      const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie: cookieHeader() } });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const i = pair.indexOf('=');
        const k = pair.slice(0, i);
        const v = pair.slice(i + 1);
        if (/max-age=-1|max-age=0/i.test(c) || v === '') jar.delete(k); else jar.set(k, v);
      }
      const loc = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && loc) {
        const next = new URL(loc, url);
        if (next.origin !== new URL(url).origin) return { status: res.status, url, location: next.href, body: '' };
        url = next.href;
        init = {};
        continue;
      }
      return { status: res.status, url, location: loc, body: await res.text() };
    }
    throw new Error('too many redirects');
  }
  /** Posts the page's form with its hidden fields and values. */
  async function submit(page, values) {
    const action = page.body.match(/<form method="post" action="([^"]*)"/);
    assert.ok(action, `no form on ${page.url}`);
    const form = new URLSearchParams();
    for (const m of page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1], unescape(m[2]));
    for (const [k, v] of Object.entries(values)) form.set(k, v);
    return go(new URL(unescape(action[1]), page.url).href, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(),
    });
  }
  return { go, submit };
}

const unescape = (s) => s.replaceAll('&amp;', '&').replaceAll('&#43;', '+').replaceAll('&#34;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>');

describe('OAuth 2.0 / OIDC with openid-client', { concurrency: 1 }, () => {
  let cogito;
  let idp;
  let poolId;
  let username;

  before(async () => {
    cogito = await startCogito();
    idp = cogito.idp();
    ({ UserPool: { Id: poolId } } = await idp.send(new CreateUserPoolCommand({ PoolName: uniq('js-oauth') })));
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: uniq('auth') }));
    await idp.send(new CreateResourceServerCommand({
      UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'api',
      Scopes: [{ ScopeName: 'orders.read', ScopeDescription: 'read orders' }],
    }));
    username = uniq('ada');
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
    }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  });

  after(async () => { await cogito?.stop(); });

  it('code flow with PKCE, userInfo, refresh and revocation (public client)', async () => {
    const { UserPoolClient: app } = await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'spa', AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'aws.cognito.signin.user.admin'], CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ['COGNITO'],
    }));
    const config = await client.discovery(new URL(`${cogito.url}/${poolId}`), app.ClientId, undefined, client.None(),
      { execute: [client.allowInsecureRequests] });
    assert.equal(config.serverMetadata().authorization_endpoint, `${cogito.url}/${poolId}/oauth2/authorize`);

    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const authUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK, scope: 'openid email aws.cognito.signin.user.admin', state, nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const b = browser();
    const login = await b.go(authUrl.href);
    assert.equal(login.status, 200);
    assert.match(login.body, /name="password"/);
    const back = await b.submit(login, { username, password: PASSWORD });
    assert.equal(back.status, 302);
    assert.ok(back.location.startsWith(`${CALLBACK}?`), back.location);

    const tokens = await client.authorizationCodeGrant(config, new URL(back.location), {
      pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
    });
    const id = tokens.claims();
    assert.equal(id['cognito:username'], username);
    assert.equal(id.email, `${username}@example.com`);
    assert.equal(id.nonce, nonce);
    assert.ok(id.at_hash && id.auth_time);
    assert.equal(claims(tokens.access_token).scope, 'openid email aws.cognito.signin.user.admin');
    assert.ok(tokens.refresh_token);

    const info = await client.fetchUserInfo(config, tokens.access_token, id.sub);
    assert.equal(info.email, `${username}@example.com`);
    assert.equal(info.email_verified, 'true');
    assert.equal(info.username, username);

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.equal(refreshed.claims().sub, id.sub);

    // Cognito's discovery document names no revocation_endpoint (neither does
    // ours): give it as Cognito users do.
    const withRevoke = new client.Configuration(
      { ...config.serverMetadata(), revocation_endpoint: `${cogito.url}/${poolId}/oauth2/revoke` }, app.ClientId, undefined, client.None());
    client.allowInsecureRequests(withRevoke);
    await client.tokenRevocation(withRevoke, tokens.refresh_token);
    await assert.rejects(client.refreshTokenGrant(config, tokens.refresh_token), (err) => err.error === 'invalid_grant');

    // The same session signs in again without the form (silent re-authorization).
    const again = await b.go(client.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK, scope: 'openid', state: 's2',
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }).href);
    assert.equal(again.status, 302);
    assert.match(again.location, /[?&]code=/);
  });

  it('a wrong PKCE verifier is invalid_grant', async () => {
    const { UserPoolClient: app } = await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'spa2', AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid'], CallbackURLs: [CALLBACK], SupportedIdentityProviders: ['COGNITO'],
    }));
    const config = await client.discovery(new URL(`${cogito.url}/${poolId}`), app.ClientId, undefined, client.None(),
      { execute: [client.allowInsecureRequests] });
    const verifier = client.randomPKCECodeVerifier();
    const b = browser();
    const login = await b.go(client.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK, scope: 'openid', state: 'st',
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }).href);
    const back = await b.submit(login, { username, password: PASSWORD });
    await assert.rejects(
      client.authorizationCodeGrant(config, new URL(back.location), { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: 'st' }),
      (err) => err.error === 'invalid_grant',
    );
  });

  it('client credentials (confidential client, client_secret_basic and client_secret_post)', async () => {
    const { UserPoolClient: app } = await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'm2m', GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['https://api.example.com/orders.read'],
    }));
    for (const auth of [client.ClientSecretBasic(app.ClientSecret), client.ClientSecretPost(app.ClientSecret)]) {
      const config = await client.discovery(new URL(`${cogito.url}/${poolId}`), app.ClientId, undefined, auth,
        { execute: [client.allowInsecureRequests] });
      const tok = await client.clientCredentialsGrant(config, { scope: 'https://api.example.com/orders.read' });
      assert.equal(tok.token_type.toLowerCase(), 'bearer');
      const c = claims(tok.access_token);
      assert.equal(c.sub, app.ClientId);
      assert.equal(c.scope, 'https://api.example.com/orders.read');
      assert.equal(tok.refresh_token, undefined);
    }
  });
});
