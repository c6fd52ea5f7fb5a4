// Sign-in as aws-amplify v6 performs it in plain Node: Amplify.configure with
// userPoolEndpoint pointing at Cogito, an in-memory key-value store for the
// tokens (Node has no localStorage) and Node's own WebCrypto. Every request
// Amplify sends is recorded, so the tests check the wire calls Amplify makes
// (USER_SRP_AUTH, GetTokensFromRefreshToken on refresh, RevokeToken and
// GlobalSignOut on sign-out) as well as what it shows the application.
//
// Amplify is a process-wide singleton: this file runs its tests one after
// the other on one server, each with its own pool (Amplify.configure again).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import {
  confirmSignIn,
  confirmUserAttribute,
  confirmSignUp,
  fetchAuthSession,
  fetchUserAttributes,
  getCurrentUser,
  signIn,
  signOut,
  signUp,
  updatePassword,
  updateUserAttributes,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { ConsoleLogger } from 'aws-amplify/utils';

import { needs, startCogito, uniq } from './harness.mjs';

// Amplify warns on every configure that the endpoint is a custom one.
ConsoleLogger.LOG_LEVEL = 'ERROR';

/** The key-value storage Amplify keeps its tokens in, readable by the tests. */
class MemoryStorage {
  constructor() { this.items = new Map(); }
  async setItem(k, v) { this.items.set(k, v); }
  async getItem(k) { return this.items.has(k) ? this.items.get(k) : null; }
  async removeItem(k) { this.items.delete(k); }
  async clear() { this.items.clear(); }
  /** The value of the one key ending in suffix (Amplify prefixes keys with the client id and username). */
  find(suffix) {
    const keys = [...this.items.keys()].filter((k) => k.endsWith(`.${suffix}`));
    return keys.length === 1 ? this.items.get(keys[0]) : undefined;
  }
}

// The cognito-idp operations Amplify sends, in order.
let wire = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const target = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).get('x-amz-target');
  if (target?.startsWith('AWSCognitoIdentityProviderService.')) wire.push(target.split('.')[1]);
  return realFetch(input, init);
};

const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

describe('aws-amplify v6', { concurrency: 1 }, () => {
  let cogito;
  let idp;
  let storage;
  before(async () => {
    cogito = await startCogito();
    idp = cogito.idp();
  });
  after(async () => {
    globalThis.fetch = realFetch;
    await cogito?.stop();
  });

  /** A pool with a public client (refresh-token rotation when asked), configured into Amplify. */
  async function configure({ rotation = false, poolExtra = {} } = {}) {
    const { UserPool } = await idp.send(new CreateUserPoolCommand({ PoolName: uniq('js-amplify'), ...poolExtra }));
    const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: UserPool.Id, ClientName: 'amplify',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ...(rotation ? { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } } : {}),
    }));
    Amplify.configure({ Auth: { Cognito: { userPoolId: UserPool.Id, userPoolClientId: UserPoolClient.ClientId, userPoolEndpoint: cogito.url } } });
    storage = new MemoryStorage();
    cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
    wire = [];
    return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId };
  }

  async function confirmedUser(poolId, password = 'Passw0rd!') {
    const username = uniq('amp');
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp0rary!',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
    }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));
    return username;
  }

  it('signIn (SRP), fetchAuthSession, a forced refresh with GetTokensFromRefreshToken and rotation, attributes, updatePassword, signOut',
    { skip: needs('InitiateAuth', 'RespondToAuthChallenge', 'GetTokensFromRefreshToken', 'GetUser', 'UpdateUserAttributes', 'ChangePassword', 'RevokeToken') }, async () => {
      const { poolId, clientId } = await configure({ rotation: true, poolExtra: { AutoVerifiedAttributes: ['email'] } });
      const username = await confirmedUser(poolId);

      const res = await signIn({ username, password: 'Passw0rd!' });
      assert.deepEqual(res, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
      assert.deepEqual(wire, ['InitiateAuth', 'RespondToAuthChallenge']);

      const current = await getCurrentUser();
      assert.equal(current.username, username);
      assert.equal(current.signInDetails.authFlowType, 'USER_SRP_AUTH');

      const s1 = await fetchAuthSession();
      assert.ok(s1.tokens?.accessToken && s1.tokens?.idToken, 'tokens present');
      assert.equal(s1.tokens.idToken.payload['cognito:username'], username);
      assert.equal(s1.tokens.idToken.payload.aud, clientId);
      assert.equal(s1.tokens.accessToken.payload.client_id, clientId);
      assert.equal(current.userId, s1.tokens.idToken.payload.sub);
      const refresh1 = storage.find('refreshToken');
      assert.ok(refresh1, 'Amplify stored a refresh token');

      wire = [];
      const s2 = await fetchAuthSession({ forceRefresh: true });
      assert.deepEqual(wire, ['GetTokensFromRefreshToken']);
      assert.notEqual(s2.tokens.accessToken.payload.jti, s1.tokens.accessToken.payload.jti);
      assert.equal(s2.tokens.accessToken.payload.origin_jti, s1.tokens.accessToken.payload.origin_jti);
      const refresh2 = storage.find('refreshToken');
      assert.ok(refresh2 && refresh2 !== refresh1, 'rotation gave Amplify a new refresh token');

      wire = [];
      const attrs = await fetchUserAttributes();
      assert.deepEqual(wire, ['GetUser']);
      assert.equal(attrs.email, `${username}@example.com`);
      assert.equal(attrs.sub, current.userId);

      const upd = await updateUserAttributes({ userAttributes: { name: 'Amplify User', email: `new-${username}@example.com` } });
      assert.equal(upd.name.isUpdated, true);
      // A changed email the pool verifies: Cognito sends a code and says so.
      assert.equal(upd.email.isUpdated, false);
      assert.equal(upd.email.nextStep.updateAttributeStep, 'CONFIRM_ATTRIBUTE_WITH_CODE');
      assert.equal(upd.email.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
      const after = await fetchUserAttributes();
      assert.equal(after.name, 'Amplify User');
      assert.equal(after.email, `new-${username}@example.com`);
      assert.equal(after.email_verified, 'false');
      const code = (await cogito.outbox(poolId, username)).at(-1)?.code;
      assert.match(code ?? '', /^\d{6}$/);
      await confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: code });
      assert.equal((await fetchUserAttributes()).email_verified, 'true');

      await updatePassword({ oldPassword: 'Passw0rd!', newPassword: 'N3w-Passw0rd!' });
      const access = (await fetchAuthSession()).tokens.accessToken.toString();

      // signOut(): RevokeToken of the refresh token (the access token has
      // origin_jti), tokens cleared locally; the access tokens from it die.
      wire = [];
      await signOut();
      assert.deepEqual(wire, ['RevokeToken']);
      assert.equal((await fetchAuthSession()).tokens, undefined);
      await assert.rejects(idp.send(new GetUserCommand({ AccessToken: access })), (err) => err.name === 'NotAuthorizedException');
      await assert.rejects(idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refresh2 })),
        (err) => err.name === 'NotAuthorizedException');

      // The new password signs in; signOut({global: true}) sends GlobalSignOut.
      assert.equal((await signIn({ username, password: 'N3w-Passw0rd!' })).isSignedIn, true);
      const access2 = (await fetchAuthSession()).tokens.accessToken.toString();
      wire = [];
      await signOut({ global: true });
      assert.deepEqual(wire, ['GlobalSignOut']);
      await assert.rejects(idp.send(new GetUserCommand({ AccessToken: access2 })), (err) => err.name === 'NotAuthorizedException');
    });

  it('a rotated-out refresh token presented again is refused, and Amplify then drops the session',
    { skip: needs('InitiateAuth', 'RespondToAuthChallenge', 'GetTokensFromRefreshToken') }, async () => {
      const { poolId, clientId } = await configure({ rotation: true });
      const username = await confirmedUser(poolId);
      await signIn({ username, password: 'Passw0rd!' });
      const refresh1 = storage.find('refreshToken');
      await fetchAuthSession({ forceRefresh: true });
      assert.notEqual(storage.find('refreshToken'), refresh1);
      // No grace period: the old token is spent. (Cogito also revokes the
      // token's family then, as OAuth reuse detection does.)
      await assert.rejects(idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refresh1 })),
        (err) => err.name === 'RefreshTokenReuseException');
      wire = [];
      const s = await fetchAuthSession({ forceRefresh: true }).catch((err) => ({ err }));
      assert.deepEqual(wire, ['GetTokensFromRefreshToken']);
      assert.equal(s.tokens, undefined, 'Amplify has no tokens after the refused refresh');
      assert.equal((await fetchAuthSession()).tokens, undefined);
      await signOut();
    });

  it('signIn with USER_PASSWORD_AUTH, and the errors Amplify shows', { skip: needs('InitiateAuth') }, async () => {
    const { poolId } = await configure();
    const username = await confirmedUser(poolId);
    await assert.rejects(signIn({ username, password: 'Wr0ng-Passw0rd!' }), (err) => {
      assert.equal(err.name, 'NotAuthorizedException');
      assert.equal(err.message, 'Incorrect username or password.');
      return true;
    });
    await assert.rejects(signIn({ username: uniq('nobody'), password: 'Passw0rd!' }), (err) => {
      assert.equal(err.name, 'UserNotFoundException');
      assert.equal(err.message, 'User does not exist.');
      return true;
    });
    wire = [];
    const res = await signIn({ username, password: 'Passw0rd!', options: { authFlowType: 'USER_PASSWORD_AUTH' } });
    assert.equal(res.isSignedIn, true);
    assert.deepEqual(wire, ['InitiateAuth']);
    assert.equal((await getCurrentUser()).signInDetails.authFlowType, 'USER_PASSWORD_AUTH');
    await signOut();
  });

  it('signUp, confirmSignUp with the code from the outbox, then signIn; an unconfirmed user gets CONFIRM_SIGN_UP',
    { skip: needs('SignUp', 'ConfirmSignUp', 'InitiateAuth', 'RespondToAuthChallenge') }, async () => {
      const { poolId } = await configure({ poolExtra: { AutoVerifiedAttributes: ['email'] } });
      const username = uniq('signup');
      const up = await signUp({ username, password: 'Passw0rd!', options: { userAttributes: { email: `${username}@example.com` } } });
      assert.equal(up.isSignUpComplete, false);
      assert.equal(up.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
      assert.equal(up.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');

      const early = await signIn({ username, password: 'Passw0rd!' });
      assert.equal(early.isSignedIn, false);
      assert.equal(early.nextStep.signInStep, 'CONFIRM_SIGN_UP');

      const msgs = await cogito.outbox(poolId, username);
      const code = msgs.at(-1).code;
      const conf = await confirmSignUp({ username, confirmationCode: code });
      assert.equal(conf.isSignUpComplete, true);
      const res = await signIn({ username, password: 'Passw0rd!' });
      assert.equal(res.isSignedIn, true);
      assert.equal((await fetchAuthSession()).tokens.idToken.payload.email_verified, true);
      await signOut();
    });

  it('an admin-created user signs in with the temporary password and sets a new one with confirmSignIn',
    { skip: needs('InitiateAuth', 'RespondToAuthChallenge') }, async () => {
      const { poolId } = await configure();
      const username = uniq('invited');
      await idp.send(new AdminCreateUserCommand({
        UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp0rary!',
        UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
      }));
      const first = await signIn({ username, password: 'Temp0rary!' });
      assert.equal(first.isSignedIn, false);
      assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED');
      assert.equal(first.nextStep.missingAttributes?.length ?? 0, 0);
      const done = await confirmSignIn({ challengeResponse: 'Chosen-Passw0rd!', options: { userAttributes: { name: 'Invited' } } });
      assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
      const idToken = (await fetchAuthSession()).tokens.idToken.toString();
      assert.equal(claims(idToken).name, 'Invited');
      await signOut();
      assert.equal((await signIn({ username, password: 'Chosen-Passw0rd!' })).isSignedIn, true);
      await signOut();
    });
});
