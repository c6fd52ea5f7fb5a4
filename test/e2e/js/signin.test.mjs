// Sign-in as amazon-cognito-identity-js performs it (SRP by default, the
// NEW_PASSWORD_REQUIRED callback, refresh and the token-authorized account
// calls), and the tokens checked with aws-jwt-verify: JwtRsaVerifier against
// our issuer and JWKS, CognitoJwtVerifier against a server issuing tokens
// with AWS's issuer (--issuer-base-url aws) and the JWKS preloaded.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
} from 'amazon-cognito-identity-js';
import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';

import { REGION, needs, startCogito, uniq } from './harness.mjs';

const FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const attrMap = (list) => Object.fromEntries((list ?? []).map((a) => [a.Name ?? a.getName(), a.Value ?? a.getValue()]));
const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

/** A pool with a public client allowing SRP, password and refresh flows, and a confirmed user. */
async function poolWithUser(idp, { username = uniq('u'), password = 'Passw0rd!', email } = {}) {
  const { UserPool } = await idp.send(new CreateUserPoolCommand({ PoolName: uniq('js-signin') }));
  const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: UserPool.Id, ClientName: 'web', ExplicitAuthFlows: FLOWS,
  }));
  const attrs = [{ Name: 'email', Value: email ?? `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }];
  await idp.send(new AdminCreateUserCommand({ UserPoolId: UserPool.Id, Username: username, MessageAction: 'SUPPRESS', UserAttributes: attrs, TemporaryPassword: 'Temp0rary!' }));
  await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: UserPool.Id, Username: username, Password: password, Permanent: true }));
  return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId, username, password };
}

/** authenticateUser as a promise: resolves to {session} or {newPasswordRequired, user, userAttributes, requiredAttributes}. */
function authenticate(user, username, password) {
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({ session }),
      onFailure: reject,
      newPasswordRequired: (userAttributes, requiredAttributes) => resolve({ newPasswordRequired: true, userAttributes, requiredAttributes }),
      mfaRequired: () => reject(new Error('unexpected mfaRequired')),
      totpRequired: () => reject(new Error('unexpected totpRequired')),
      customChallenge: () => reject(new Error('unexpected customChallenge')),
    });
  });
}

const call = (fn) => new Promise((resolve, reject) => fn((err, res) => (err ? reject(err) : resolve(res))));

describe('amazon-cognito-identity-js', () => {
  let cogito;
  let idp;
  before(async () => {
    cogito = await startCogito();
    idp = cogito.idp();
  });
  after(async () => { await cogito?.stop(); });

  const userPool = (u) => new CognitoUserPool({ UserPoolId: u.poolId, ClientId: u.clientId, endpoint: cogito.url });

  it('signs in with SRP, refreshes, reads and updates attributes, changes the password, signs out globally',
    { skip: needs('InitiateAuth', 'RespondToAuthChallenge', 'GetUser', 'UpdateUserAttributes', 'ChangePassword', 'GlobalSignOut') }, async () => {
      const u = await poolWithUser(idp);
      const pool = userPool(u);
      const user = new CognitoUser({ Username: u.username, Pool: pool });
      const { session } = await authenticate(user, u.username, u.password);
      assert.ok(session.isValid(), 'session is valid');
      const id = claims(session.getIdToken().getJwtToken());
      const access = claims(session.getAccessToken().getJwtToken());
      assert.equal(id.token_use, 'id');
      assert.equal(id['cognito:username'], u.username);
      assert.equal(id.aud, u.clientId);
      assert.equal(id.email, `${u.username}@example.com`);
      assert.equal(id.iss, `${cogito.url}/${u.poolId}`);
      assert.equal(access.token_use, 'access');
      assert.equal(access.client_id, u.clientId);
      assert.equal(access.scope, 'aws.cognito.signin.user.admin');
      assert.equal(access.username, u.username);
      // The library keeps the tokens where the pool's storage says.
      assert.equal(pool.getCurrentUser()?.getUsername(), u.username);

      // refreshSession: InitiateAuth REFRESH_TOKEN_AUTH; the refresh token stays.
      const refreshed = await call((cb) => user.refreshSession(session.getRefreshToken(), cb));
      const access2 = claims(refreshed.getAccessToken().getJwtToken());
      assert.notEqual(access2.jti, access.jti);
      assert.equal(access2.origin_jti, access.origin_jti);
      assert.equal(access2.auth_time, access.auth_time);
      assert.equal(refreshed.getRefreshToken().getToken(), session.getRefreshToken().getToken());

      const attrs = attrMap(await call((cb) => user.getUserAttributes(cb)));
      assert.equal(attrs.email, `${u.username}@example.com`);
      assert.equal(attrs.sub, id.sub);

      await call((cb) => user.updateAttributes([new CognitoUserAttribute({ Name: 'name', Value: 'Jane Doe' })], cb));
      assert.equal(attrMap(await call((cb) => user.getUserAttributes(cb))).name, 'Jane Doe');

      assert.equal(await call((cb) => user.changePassword(u.password, 'N3w-Passw0rd!', cb)), 'SUCCESS');
      // The new password signs in, here with USER_PASSWORD_AUTH; the old one no longer does.
      const withPassword = () => { const cu = new CognitoUser({ Username: u.username, Pool: pool }); cu.setAuthenticationFlowType('USER_PASSWORD_AUTH'); return cu; };
      await assert.rejects(authenticate(withPassword(), u.username, u.password),
        (err) => err.code === 'NotAuthorizedException' && err.message === 'Incorrect username or password.');
      const again = await authenticate(withPassword(), u.username, 'N3w-Passw0rd!');
      assert.ok(again.session.isValid());

      await new Promise((resolve, reject) => user.globalSignOut({ onSuccess: resolve, onFailure: reject }));
      // The access token and the refresh token of the first sign-in are dead now.
      await assert.rejects(idp.send(new GetUserCommand({ AccessToken: refreshed.getAccessToken().getJwtToken() })),
        (err) => err.name === 'NotAuthorizedException');
      // (Through the SDK: the library's refreshSession retries every error for ~6 s.)
      await assert.rejects(idp.send(new InitiateAuthCommand({
        ClientId: u.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: session.getRefreshToken().getToken() },
      })), (err) => err.name === 'NotAuthorizedException');
      // So are those of the second: GlobalSignOut ends every session of the user.
      await assert.rejects(idp.send(new GetUserCommand({ AccessToken: again.session.getAccessToken().getJwtToken() })),
        (err) => err.name === 'NotAuthorizedException');
    });

  it('answers a wrong password with NotAuthorizedException "Incorrect username or password."',
    { skip: needs('InitiateAuth', 'RespondToAuthChallenge') }, async () => {
      const u = await poolWithUser(idp);
      const user = new CognitoUser({ Username: u.username, Pool: userPool(u) });
      await assert.rejects(authenticate(user, u.username, 'Wr0ng-Passw0rd!'), (err) => {
        assert.equal(err.code, 'NotAuthorizedException');
        assert.equal(err.name, 'NotAuthorizedException');
        assert.equal(err.message, 'Incorrect username or password.');
        return true;
      });
    });

  it('signs in with the email alias', { skip: needs('InitiateAuth', 'RespondToAuthChallenge') }, async () => {
    const { UserPool } = await idp.send(new CreateUserPoolCommand({ PoolName: uniq('js-alias'), AliasAttributes: ['email'] }));
    const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: UserPool.Id, ClientName: 'web', ExplicitAuthFlows: FLOWS }));
    const username = uniq('alias');
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: UserPool.Id, Username: username, MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp0rary!',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
    }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: UserPool.Id, Username: username, Password: 'Passw0rd!', Permanent: true }));
    const pool = new CognitoUserPool({ UserPoolId: UserPool.Id, ClientId: UserPoolClient.ClientId, endpoint: cogito.url });
    const user = new CognitoUser({ Username: `${username}@example.com`, Pool: pool });
    const { session } = await authenticate(user, `${username}@example.com`, 'Passw0rd!');
    assert.equal(claims(session.getIdToken().getJwtToken())['cognito:username'], username);
    // The library switched to the internal username from the challenge.
    assert.equal(user.getUsername(), username);
  });

  it('completes NEW_PASSWORD_REQUIRED for an admin-created user', { skip: needs('InitiateAuth', 'RespondToAuthChallenge') }, async () => {
    const { UserPool } = await idp.send(new CreateUserPoolCommand({ PoolName: uniq('js-newpw') }));
    const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: UserPool.Id, ClientName: 'web', ExplicitAuthFlows: FLOWS }));
    const username = uniq('invited');
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: UserPool.Id, Username: username, MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp0rary!',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
    }));
    const pool = new CognitoUserPool({ UserPoolId: UserPool.Id, ClientId: UserPoolClient.ClientId, endpoint: cogito.url });
    const user = new CognitoUser({ Username: username, Pool: pool });
    const first = await authenticate(user, username, 'Temp0rary!');
    assert.equal(first.newPasswordRequired, true);
    assert.equal(first.userAttributes.email, `${username}@example.com`);
    assert.ok(Array.isArray(first.requiredAttributes), 'requiredAttributes is an array');
    // The library deletes email_verified and phone_number_verified itself.
    delete first.userAttributes.email;
    const session = await new Promise((resolve, reject) => user.completeNewPasswordChallenge('Chosen-Passw0rd!', { name: 'Invited One' }, {
      onSuccess: resolve, onFailure: reject,
    }));
    assert.ok(session.isValid());
    assert.equal(claims(session.getIdToken().getJwtToken()).name, 'Invited One');
    const { UserStatus } = await idp.send(new AdminGetUserCommand({ UserPoolId: UserPool.Id, Username: username }));
    assert.equal(UserStatus, 'CONFIRMED');
    const second = await authenticate(new CognitoUser({ Username: username, Pool: pool }), username, 'Chosen-Passw0rd!');
    assert.ok(second.session.isValid());
  });
});

describe('aws-jwt-verify', () => {
  // Its built-in fetcher speaks https only (node:https); a fetcher over the
  // global fetch reads our http JWKS. The verification itself is the library's.
  const httpFetcher = { fetch: async (uri) => { const r = await fetch(uri); if (r.status !== 200) throw new Error(`GET ${uri}: ${r.status}`); return r.arrayBuffer(); } };

  it('JwtRsaVerifier accepts ID and access tokens from our issuer and JWKS, and rejects tampered ones',
    { skip: needs('AdminInitiateAuth') }, async () => {
      const cogito = await startCogito();
      try {
        const idp = cogito.idp();
        const u = await poolWithUser(idp);
        const { AuthenticationResult: r } = await idp.send(new AdminInitiateAuthCommand({
          UserPoolId: u.poolId, ClientId: u.clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: u.username, PASSWORD: u.password },
        }));
        const issuer = `${cogito.url}/${u.poolId}`;
        const jwksUri = `${issuer}/.well-known/jwks.json`;
        const jwksCache = new SimpleJwksCache({ fetcher: httpFetcher });
        const idVerifier = JwtRsaVerifier.create({ issuer, audience: u.clientId, jwksUri, customJwtCheck: ({ payload }) => assert.equal(payload.token_use, 'id') }, { jwksCache });
        const accessVerifier = JwtRsaVerifier.create({
          issuer, audience: null, jwksUri,
          customJwtCheck: ({ payload }) => { assert.equal(payload.token_use, 'access'); assert.equal(payload.client_id, u.clientId); },
        }, { jwksCache });
        const id = await idVerifier.verify(r.IdToken);
        assert.equal(id['cognito:username'], u.username);
        const access = await accessVerifier.verify(r.AccessToken);
        assert.equal(access.username, u.username);
        // The access token is not an ID token, nor the ID token an access token.
        await assert.rejects(idVerifier.verify(r.AccessToken));
        await assert.rejects(accessVerifier.verify(r.IdToken));
        // Another audience, another issuer, a changed payload: all refused.
        await assert.rejects(JwtRsaVerifier.create({ issuer, audience: 'someone-else', jwksUri }, { jwksCache }).verify(r.IdToken), /audience/i);
        await assert.rejects(JwtRsaVerifier.create({ issuer: `${issuer}x`, audience: u.clientId, jwksUri }, { jwksCache }).verify(r.IdToken), /issuer/i);
        const [h, p, s] = r.IdToken.split('.');
        const forged = Buffer.from(JSON.stringify({ ...claims(r.IdToken), 'cognito:username': 'admin' })).toString('base64url');
        await assert.rejects(idVerifier.verify(`${h}.${forged}.${s}`), /signature/i);
        // The two token kinds are signed with different keys, both in the JWKS.
        const kid = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url')).kid;
        assert.notEqual(kid(r.IdToken), kid(r.AccessToken));
      } finally {
        await cogito.stop();
      }
    });

  it('CognitoJwtVerifier accepts tokens from a server issuing with AWS\'s issuer, JWKS preloaded with cacheJwks',
    { skip: needs('AdminInitiateAuth') }, async () => {
      const cogito = await startCogito(['--issuer-base-url', 'aws']);
      try {
        const idp = cogito.idp();
        const u = await poolWithUser(idp);
        assert.match(u.poolId, /^[a-z]{2}-(gov-)?[a-z]+-\d_[a-zA-Z0-9]+$/, 'pool id has the form CognitoJwtVerifier requires');
        const { AuthenticationResult: r } = await idp.send(new AdminInitiateAuthCommand({
          UserPoolId: u.poolId, ClientId: u.clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: u.username, PASSWORD: u.password },
        }));
        const awsIssuer = `https://cognito-idp.${REGION}.amazonaws.com/${u.poolId}`;
        assert.equal(claims(r.IdToken).iss, awsIssuer);
        assert.equal(claims(r.AccessToken).iss, awsIssuer);
        // The JWKS is still served by Cogito at /{poolId}/.well-known/jwks.json.
        const res = await fetch(`${cogito.url}/${u.poolId}/.well-known/jwks.json`);
        assert.equal(res.status, 200);
        const jwks = await res.json();
        const idVerifier = CognitoJwtVerifier.create({ userPoolId: u.poolId, tokenUse: 'id', clientId: u.clientId });
        const accessVerifier = CognitoJwtVerifier.create({ userPoolId: u.poolId, tokenUse: 'access', clientId: u.clientId });
        idVerifier.cacheJwks(jwks);
        accessVerifier.cacheJwks(jwks);
        assert.equal((await idVerifier.verify(r.IdToken)).sub, claims(r.IdToken).sub);
        assert.equal((await accessVerifier.verify(r.AccessToken)).username, u.username);
        await assert.rejects(idVerifier.verify(r.AccessToken), /token use/i);
        await assert.rejects(accessVerifier.verify(r.IdToken), /token use/i);
        await assert.rejects(CognitoJwtVerifier.create({ userPoolId: u.poolId, tokenUse: 'id', clientId: 'another-client' }, { jwksCache: idVerifier.jwksCache }).verify(r.IdToken));
        // The tokens also pass the verifier's typed claim checks after a refresh.
        const { AuthenticationResult: r2 } = await idp.send(new AdminInitiateAuthCommand({
          UserPoolId: u.poolId, ClientId: u.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: r.RefreshToken },
        }));
        await idVerifier.verify(r2.IdToken);
        await accessVerifier.verify(r2.AccessToken);
      } finally {
        await cogito.stop();
      }
    });
});
