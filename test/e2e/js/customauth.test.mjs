// Custom authentication and user migration with real JavaScript handlers:
// the test runs a small server speaking the AWS Lambda Invoke API (POST
// /2015-03-31/functions/{name}/invocations) with the define, create and
// verify auth challenge functions and a user migration function over a
// legacy password store, written as one writes Cognito triggers; Cogito is
// started with --lambda-endpoint pointing at it. aws-amplify v6 drives the
// sign-ins unmodified — signIn with CUSTOM_WITHOUT_SRP and CUSTOM_WITH_SRP,
// confirmSignIn answering the custom challenge, signIn with
// USER_PASSWORD_AUTH for a user the pool does not know yet — and the JS SDK
// v3 the raw CUSTOM_AUTH exchange.
//
// Amplify is a process-wide singleton: the tests run one after the other.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { ConsoleLogger } from 'aws-amplify/utils';

import { REGION, startCogito, uniq } from './harness.mjs';

ConsoleLogger.LOG_LEVEL = 'ERROR';

const ACCOUNT = '123456789012';
const fnArn = (name) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

/** Amplify's token storage in memory (Node has no localStorage). */
class MemoryStorage {
  constructor() { this.items = new Map(); }
  async setItem(k, v) { this.items.set(k, v); }
  async getItem(k) { return this.items.has(k) ? this.items.get(k) : null; }
  async removeItem(k) { this.items.delete(k); }
  async clear() { this.items.clear(); }
}

/**
 * Starts a Lambda Invoke API server running handlers (name → async (event)
 * => event); a thrown error is a function error, as Lambda reports it.
 */
async function startFunctions(handlers) {
  const invocations = [];
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url);
    const name = m && decodeURIComponent(m[1]).split(':').at(6);
    const handler = name && handlers[name];
    if (!handler) {
      res.writeHead(404, { 'x-amzn-errortype': 'ResourceNotFoundException', 'content-type': 'application/json' })
        .end(JSON.stringify({ Type: 'User', message: `Function not found: ${m?.[1]}` }));
      return;
    }
    const event = JSON.parse(Buffer.concat(chunks).toString());
    invocations.push({ name, event: structuredClone(event) });
    try {
      const out = await handler(event);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
    } catch (e) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' })
        .end(JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: [] }));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    invocations,
    of: (name) => invocations.filter((i) => i.name === name).map((i) => i.event),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

// The functions, as one writes Cognito triggers.
const codes = new Map(); // username -> the code "sent" to the user
const legacyStore = new Map([['legacy-ann', { password: 'Old-Passw0rd!', email: 'ann@legacy.example' }]]);
const handlers = {
  async defineAuthChallenge(event) {
    const session = event.request.session;
    const last = session.at(-1);
    if (last?.challengeName === 'SRP_A') {
      event.response.challengeName = 'PASSWORD_VERIFIER';
    } else if (session.length === 0 || (last.challengeName === 'PASSWORD_VERIFIER' && last.challengeResult)) {
      event.response.challengeName = 'CUSTOM_CHALLENGE';
    } else if (last.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult) {
      event.response.issueTokens = true;
    } else if (session.filter((s) => s.challengeName === 'CUSTOM_CHALLENGE').length < 3) {
      event.response.challengeName = 'CUSTOM_CHALLENGE';
    } else {
      event.response.failAuthentication = true;
    }
    event.response.issueTokens ??= false;
    event.response.failAuthentication ??= false;
    return event;
  },
  async createAuthChallenge(event) {
    const code = String(100000 + codes.size * 7919);
    codes.set(event.userName, code);
    event.response.publicChallengeParameters = { email: event.request.userAttributes.email, hint: 'a 6-digit code' };
    event.response.privateChallengeParameters = { answer: code };
    event.response.challengeMetadata = `CODE-${event.request.session.length}`;
    return event;
  },
  async verifyAuthChallengeResponse(event) {
    event.response.answerCorrect = event.request.privateChallengeParameters.answer === event.request.challengeAnswer;
    return event;
  },
  async migrateUser(event) {
    const user = legacyStore.get(event.userName);
    if (!user) throw new Error('User not found');
    if (event.triggerSource === 'UserMigration_Authentication' && event.request.password !== user.password) {
      throw new Error('Bad password');
    }
    event.response.userAttributes = { email: user.email, email_verified: 'true' };
    event.response.finalUserStatus = 'CONFIRMED';
    event.response.messageAction = 'SUPPRESS';
    return event;
  },
};

describe('custom authentication and user migration with JavaScript triggers', { concurrency: 1 }, () => {
  let cogito;
  let fns;
  let idp;
  before(async () => {
    fns = await startFunctions(handlers);
    cogito = await startCogito(['--lambda-endpoint', fns.url, '--lambda-access-key-id', 'AKIDLAMBDA', '--lambda-secret-access-key', 'lambda-secret']);
    idp = cogito.idp();
  });
  after(async () => {
    await cogito?.stop();
    await fns?.close();
  });

  /** A pool with the custom auth and migration triggers, a client, configured into Amplify. */
  async function configure() {
    const { UserPool } = await idp.send(new CreateUserPoolCommand({
      PoolName: uniq('js-custom'),
      LambdaConfig: {
        DefineAuthChallenge: fnArn('defineAuthChallenge'),
        CreateAuthChallenge: fnArn('createAuthChallenge'),
        VerifyAuthChallengeResponse: fnArn('verifyAuthChallengeResponse'),
        UserMigration: fnArn('migrateUser'),
      },
    }));
    const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: UserPool.Id, ClientName: 'amplify',
      ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }));
    Amplify.configure({ Auth: { Cognito: { userPoolId: UserPool.Id, userPoolClientId: UserPoolClient.ClientId, userPoolEndpoint: cogito.url } } });
    cognitoUserPoolsTokenProvider.setKeyValueStorage(new MemoryStorage());
    return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId };
  }

  async function user(poolId, password = 'Passw0rd!') {
    const username = uniq('cu');
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp0rary!',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
    }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));
    return username;
  }

  it('Amplify signIn CUSTOM_WITHOUT_SRP, a wrong code, then confirmSignIn with the right one', async () => {
    const { poolId } = await configure();
    const username = await user(poolId);
    const first = await signIn({ username, options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
    assert.equal(first.isSignedIn, false);
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    assert.equal(first.nextStep.additionalInfo.email, `${username}@example.com`);
    assert.equal(first.nextStep.additionalInfo.hint, 'a 6-digit code');
    const wrong = await confirmSignIn({ challengeResponse: '000000' });
    assert.equal(wrong.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    const done = await confirmSignIn({ challengeResponse: codes.get(username) });
    assert.deepEqual(done, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const { tokens } = await fetchAuthSession();
    assert.equal(claims(tokens.accessToken.toString()).username, username);
    // The define function saw the whole history.
    const defines = fns.of('defineAuthChallenge').filter((e) => e.userName === username);
    const last = defines.at(-1).request.session;
    assert.deepEqual(last.map((s) => [s.challengeName, s.challengeResult, s.challengeMetadata]),
      [['CUSTOM_CHALLENGE', false, 'CODE-0'], ['CUSTOM_CHALLENGE', true, 'CODE-1']]);
    await signOut();
  });

  it('Amplify signIn CUSTOM_WITH_SRP: the password first, then the custom challenge', async () => {
    const { poolId } = await configure();
    const username = await user(poolId, 'Srp-Passw0rd!');
    const first = await signIn({ username, password: 'Srp-Passw0rd!', options: { authFlowType: 'CUSTOM_WITH_SRP' } });
    assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    const done = await confirmSignIn({ challengeResponse: codes.get(username) });
    assert.equal(done.isSignedIn, true);
    const session = fns.of('defineAuthChallenge').filter((e) => e.userName === username).at(-1).request.session;
    assert.deepEqual(session.map((s) => [s.challengeName, s.challengeResult]),
      [['SRP_A', true], ['PASSWORD_VERIFIER', true], ['CUSTOM_CHALLENGE', true]]);
    await signOut();
    // A wrong password never reaches the custom challenge.
    await assert.rejects(signIn({ username, password: 'Wrong-Passw0rd!', options: { authFlowType: 'CUSTOM_WITH_SRP' } }),
      (err) => err.name === 'NotAuthorizedException');
  });

  it('the JS SDK v3 CUSTOM_AUTH exchange, and three wrong answers failing the sign-in', async () => {
    const { poolId, clientId } = await configure();
    const username = await user(poolId);
    let out = await idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: username } }));
    assert.equal(out.ChallengeName, 'CUSTOM_CHALLENGE');
    assert.equal(out.ChallengeParameters.USERNAME, username);
    let session = out.Session;
    for (let i = 0; i < 2; i++) {
      out = await idp.send(new RespondToAuthChallengeCommand({
        ClientId: clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: session, ChallengeResponses: { USERNAME: username, ANSWER: 'nope' },
      }));
      assert.equal(out.ChallengeName, 'CUSTOM_CHALLENGE');
      session = out.Session;
    }
    await assert.rejects(idp.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: session, ChallengeResponses: { USERNAME: username, ANSWER: 'nope' },
    })), (err) => err.name === 'NotAuthorizedException' && err.message === 'Incorrect username or password.');
  });

  it('a user from the legacy store signs in with Amplify USER_PASSWORD_AUTH and is migrated', async () => {
    const { poolId } = await configure();
    await assert.rejects(signIn({ username: 'legacy-ann', password: 'Nope-Passw0rd!', options: { authFlowType: 'USER_PASSWORD_AUTH' } }),
      (err) => err.name === 'UserLambdaValidationException' && err.message === 'UserMigration failed with error Bad password.');
    const res = await signIn({ username: 'legacy-ann', password: 'Old-Passw0rd!', options: { authFlowType: 'USER_PASSWORD_AUTH' } });
    assert.equal(res.isSignedIn, true);
    const u = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'legacy-ann' }));
    assert.equal(u.UserStatus, 'CONFIRMED');
    assert.equal(u.UserAttributes.find((a) => a.Name === 'email').Value, 'ann@legacy.example');
    await signOut();
    // From now on the user is the pool's: the default SRP sign-in works.
    assert.equal((await signIn({ username: 'legacy-ann', password: 'Old-Passw0rd!' })).isSignedIn, true);
    await signOut();
    const migrations = fns.of('migrateUser').filter((e) => e.userName === 'legacy-ann');
    assert.equal(migrations.length, 2);
    assert.equal(migrations[1].request.password, 'Old-Passw0rd!');
  });
});
