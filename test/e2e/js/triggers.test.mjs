// Lambda triggers with real JavaScript handlers: the test runs a small
// server speaking the AWS Lambda Invoke API (POST
// /2015-03-31/functions/{name}/invocations) and, on the same port, the two
// KMS operations the custom sender needs (Encrypt, Decrypt); Cogito is
// started with --lambda-endpoint and --kms-endpoint pointing at it. The pool
// names the handlers by ARN; the JS SDK v3 drives the flows; the custom
// email sender decrypts its code with the AWS Encryption SDK
// (@aws-crypto/client-node, KMS keyring) as AWS's documentation shows; the
// pre token generation V2 claims are read from tokens verified by
// aws-jwt-verify.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';

import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { KMS } from '@aws-sdk/client-kms';
import { CommitmentPolicy, KmsKeyringNode, buildClient, getClient } from '@aws-crypto/client-node';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';

import { REGION, startCogito, uniq } from './harness.mjs';

const ACCOUNT = '123456789012';
const fnArn = (name) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/cogito-e2e-key`;
const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const attrMap = (list) => Object.fromEntries((list ?? []).map((a) => [a.Name, a.Value]));

/** A KMS stand-in: AES-256-GCM under one test key, binding key ARN and encryption context. */
function fakeKms() {
  const key = crypto.randomBytes(32);
  const aad = (arn, ctx = {}) => Buffer.from(JSON.stringify([arn, Object.keys(ctx).sort().map((k) => [k, ctx[k]])]));
  return {
    calls: { Encrypt: 0, Decrypt: 0 },
    Encrypt({ KeyId, Plaintext, EncryptionContext }) {
      const arn = KeyId.startsWith('arn:') ? KeyId : `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KeyId}`;
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', key, iv);
      c.setAAD(aad(arn, EncryptionContext));
      const ct = Buffer.concat([c.update(Buffer.from(Plaintext, 'base64')), c.final()]);
      const arnBytes = Buffer.from(arn);
      const blob = Buffer.concat([Buffer.from([arnBytes.length]), arnBytes, iv, ct, c.getAuthTag()]);
      return { CiphertextBlob: blob.toString('base64'), KeyId: arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    },
    Decrypt({ CiphertextBlob, EncryptionContext }) {
      const blob = Buffer.from(CiphertextBlob, 'base64');
      const n = blob[0];
      const arn = blob.subarray(1, 1 + n).toString();
      const iv = blob.subarray(1 + n, 13 + n);
      const d = crypto.createDecipheriv('aes-256-gcm', key, iv);
      d.setAAD(aad(arn, EncryptionContext));
      d.setAuthTag(blob.subarray(blob.length - 16));
      const pt = Buffer.concat([d.update(blob.subarray(13 + n, blob.length - 16)), d.final()]);
      return { Plaintext: pt.toString('base64'), KeyId: arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    },
  };
}

/**
 * Starts the Lambda + KMS server. handlers maps function names to async
 * (event) => event functions, run as Lambda runs them: a thrown error is a
 * function error (X-Amz-Function-Error: Unhandled), an Event invocation
 * answers 202.
 */
async function startFunctions(handlers) {
  const kms = fakeKms();
  const invocations = [];
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks).toString();
    const target = req.headers['x-amz-target'];
    if (target?.startsWith('TrentService.')) {
      const op = target.slice('TrentService.'.length);
      kms.calls[op] = (kms.calls[op] ?? 0) + 1;
      try {
        const out = kms[op](JSON.parse(body));
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(out));
      } catch (e) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'InvalidCiphertextException', message: String(e) }));
      }
      return;
    }
    const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url);
    const name = m && decodeURIComponent(m[1]).split(':').at(6);
    const handler = name && handlers[name];
    if (!handler) {
      res.writeHead(404, { 'x-amzn-errortype': 'ResourceNotFoundException', 'content-type': 'application/json' })
        .end(JSON.stringify({ Type: 'User', message: `Function not found: ${m?.[1]}` }));
      return;
    }
    const event = JSON.parse(body);
    const async = req.headers['x-amz-invocation-type'] === 'Event';
    invocations.push({ name, event, async, authorization: req.headers.authorization });
    const run = (async () => handler(structuredClone(event)))();
    if (async) {
      res.writeHead(202).end();
      await run.catch(() => {});
      return;
    }
    try {
      const out = await run;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
    } catch (e) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' })
        .end(JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: [] }));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, kms, invocations, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('Lambda triggers with JavaScript handlers', () => {
  let cogito;
  let fns;
  let idp;
  const sent = new Map(); // username -> code decrypted by the custom email sender
  let senderDone;
  const senderCalled = new Promise((resolve) => { senderDone = resolve; });

  // The functions, written as one writes Cognito triggers.
  const handlers = {
    async preSignUp(event) {
      if (event.userName.startsWith('blocked')) throw new Error(`User ${event.userName} is not welcome`);
      const email = event.request.userAttributes.email ?? '';
      if (email.endsWith('@example.org')) {
        event.response.autoConfirmUser = true;
        event.response.autoVerifyEmail = true;
      }
      return event;
    },
    async postConfirmation(event) { return event; },
    async customMessage(event) {
      if (event.triggerSource === 'CustomMessage_SignUp') {
        event.response.emailSubject = `Welcome to ${event.userPoolId}`;
        event.response.emailMessage = `Hi ${event.request.userAttributes.given_name ?? event.userName}, your code is ${event.request.codeParameter}.`;
      }
      if (event.triggerSource === 'CustomMessage_AdminCreateUser') {
        event.response.emailSubject = 'Your account';
        event.response.emailMessage = `Sign in as ${event.request.usernameParameter} with ${event.request.codeParameter}`;
      }
      return event;
    },
    async preToken(event) {
      event.response = {
        claimsAndScopeOverrideDetails: {
          idTokenGeneration: {
            claimsToAddOrOverride: { tenant: 'acme', roles: ['admin', 'editor'], meta: { tier: 2 } },
            claimsToSuppress: ['family_name'],
          },
          accessTokenGeneration: {
            claimsToAddOrOverride: { tenant: 'acme', source: event.triggerSource },
            scopesToAdd: ['orders/read'],
          },
          groupOverrideDetails: { groupsToOverride: ['from-lambda'] },
        },
      };
      return event;
    },
    async emailSender(event) {
      // AWS's example: decrypt the code with the Encryption SDK and a KMS keyring.
      const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
      const keyring = new KmsKeyringNode({
        keyIds: [KEY_ARN],
        clientProvider: getClient(KMS, { endpoint: fns.url, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
      });
      try {
        const { plaintext, messageHeader } = await decrypt(keyring, Buffer.from(event.request.code, 'base64'));
        sent.set(event.userName, { code: plaintext.toString(), context: messageHeader.encryptionContext, event });
      } catch (e) {
        sent.set(event.userName, { error: e });
      }
      senderDone();
      return event;
    },
  };

  before(async () => {
    fns = await startFunctions(handlers);
    cogito = await startCogito(['--lambda-endpoint', fns.url, '--kms-endpoint', fns.url,
      '--lambda-access-key-id', 'AKIDLAMBDA', '--lambda-secret-access-key', 'lambda-secret']);
    idp = cogito.idp();
  });
  after(async () => {
    await cogito?.stop();
    await fns?.close();
  });

  async function pool(LambdaConfig, extra = {}) {
    const { UserPool } = await idp.send(new CreateUserPoolCommand({
      PoolName: uniq('js-triggers'), LambdaConfig, AutoVerifiedAttributes: ['email'], ...extra,
    }));
    const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: UserPool.Id, ClientName: 'web', ExplicitAuthFlows: FLOWS,
    }));
    return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId };
  }

  it('pre sign-up confirms, refuses with the function\'s message; custom message and post confirmation run', async () => {
    const { poolId, clientId } = await pool({
      PreSignUp: fnArn('preSignUp'), CustomMessage: fnArn('customMessage'), PostConfirmation: fnArn('postConfirmation'),
    });
    const auto = await idp.send(new SignUpCommand({
      ClientId: clientId, Username: 'orguser', Password: 'Passw0rd!',
      UserAttributes: [{ Name: 'email', Value: 'orguser@example.org' }], ClientMetadata: { app: 'js' },
    }));
    assert.equal(auto.UserConfirmed, true);
    const got = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'orguser' }));
    assert.equal(got.UserStatus, 'CONFIRMED');
    assert.equal(attrMap(got.UserAttributes).email_verified, 'true');
    const pre = fns.invocations.find((i) => i.name === 'preSignUp' && i.event.userName === 'orguser');
    assert.equal(pre.event.triggerSource, 'PreSignUp_SignUp');
    assert.equal(pre.event.callerContext.clientId, clientId);
    assert.match(pre.event.callerContext.awsSdkVersion, /^aws-sdk-js-3\./);
    assert.deepEqual(pre.event.request.clientMetadata, { app: 'js' });
    assert.match(pre.authorization, /^AWS4-HMAC-SHA256 Credential=AKIDLAMBDA\/\d{8}\/us-east-1\/lambda\/aws4_request/);

    await assert.rejects(
      idp.send(new SignUpCommand({ ClientId: clientId, Username: 'blocked-1', Password: 'Passw0rd!', UserAttributes: [{ Name: 'email', Value: 'b@example.com' }] })),
      (e) => e.name === 'UserLambdaValidationException' && e.message === 'PreSignUp failed with error User blocked-1 is not welcome.');

    await idp.send(new SignUpCommand({
      ClientId: clientId, Username: 'comuser', Password: 'Passw0rd!',
      UserAttributes: [{ Name: 'email', Value: 'comuser@example.com' }, { Name: 'given_name', Value: 'Com' }],
    }));
    const [msg] = await cogito.outbox(poolId, 'comuser');
    assert.equal(msg.subject, `Welcome to ${poolId}`);
    assert.equal(msg.body, `Hi Com, your code is ${msg.code}.`);
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'comuser', ConfirmationCode: msg.code }));
    const post = fns.invocations.filter((i) => i.name === 'postConfirmation');
    assert.equal(post.length, 1);
    assert.equal(post[0].event.triggerSource, 'PostConfirmation_ConfirmSignUp');
    assert.equal(post[0].event.request.userAttributes['cognito:user_status'], 'CONFIRMED');

    await idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: 'invitee', TemporaryPassword: 'Temp-Passw0rd1',
      UserAttributes: [{ Name: 'email', Value: 'invitee@example.com' }], DesiredDeliveryMediums: ['EMAIL'],
    }));
    const [invite] = await cogito.outbox(poolId, 'invitee');
    assert.equal(invite.body, 'Sign in as invitee with Temp-Passw0rd1');
    assert.equal(fns.invocations.find((i) => i.event.userName === 'invitee' && i.name === 'preSignUp').event.triggerSource, 'PreSignUp_AdminCreateUser');
  });

  it('a custom email sender gets the code encrypted as Cognito does, and it confirms the user', async () => {
    const { poolId, clientId } = await pool({
      CustomEmailSender: { LambdaArn: fnArn('emailSender'), LambdaVersion: 'V1_0' }, KMSKeyID: KEY_ARN,
    });
    await idp.send(new SignUpCommand({
      ClientId: clientId, Username: 'encrypted', Password: 'Passw0rd!', UserAttributes: [{ Name: 'email', Value: 'enc@example.com' }],
    }));
    await senderCalled;
    const s = sent.get('encrypted');
    assert.ifError(s.error);
    assert.equal(s.event.triggerSource, 'CustomEmailSender_SignUp');
    assert.equal(s.event.request.type, 'customEmailSenderRequestV1');
    assert.equal(s.event.request.userAttributes.email, 'enc@example.com');
    assert.equal(s.context['userpool-id'], poolId);
    assert.match(s.code, /^\d{6}$/);
    assert.ok(fns.kms.calls.Encrypt >= 1 && fns.kms.calls.Decrypt >= 1);
    assert.ok(fns.invocations.find((i) => i.name === 'emailSender').async, 'custom senders are invoked asynchronously');
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'encrypted', ConfirmationCode: s.code }));
  });

  it('pre token generation V2 claims show in tokens verified by aws-jwt-verify', async () => {
    const { poolId, clientId } = await pool({
      PreTokenGenerationConfig: { LambdaArn: fnArn('preToken'), LambdaVersion: 'V2_0' },
    }, { UserPoolTier: 'ESSENTIALS' });
    await idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: 'tokens', MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp-Passw0rd1',
      UserAttributes: [{ Name: 'email', Value: 'tokens@example.com' }, { Name: 'family_name', Value: 'Hidden' }],
    }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'tokens', Password: 'Passw0rd!', Permanent: true }));
    const { AuthenticationResult: r } = await idp.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'tokens', PASSWORD: 'Passw0rd!' },
    }));
    const issuer = `${cogito.url}/${poolId}`;
    const jwksUri = `${issuer}/.well-known/jwks.json`;
    const httpFetcher = { fetch: async (uri) => { const res = await fetch(uri); if (res.status !== 200) throw new Error(`GET ${uri}: ${res.status}`); return res.arrayBuffer(); } };
    const jwksCache = new SimpleJwksCache({ fetcher: httpFetcher });
    const id = await JwtRsaVerifier.create({ issuer, audience: clientId, jwksUri }, { jwksCache }).verify(r.IdToken);
    const access = await JwtRsaVerifier.create({ issuer, audience: null, jwksUri }, { jwksCache }).verify(r.AccessToken);
    assert.equal(id.tenant, 'acme');
    assert.deepEqual(id.roles, ['admin', 'editor']);
    assert.deepEqual(id.meta, { tier: 2 });
    assert.equal(id.family_name, undefined);
    assert.deepEqual(id['cognito:groups'], ['from-lambda']);
    assert.equal(id.email, 'tokens@example.com');
    assert.equal(access.tenant, 'acme');
    assert.equal(access.source, 'TokenGeneration_Authentication');
    assert.equal(access.scope, 'aws.cognito.signin.user.admin orders/read');
    const ev = fns.invocations.find((i) => i.name === 'preToken').event;
    assert.equal(ev.version, '2');
    assert.deepEqual(ev.request.scopes, ['aws.cognito.signin.user.admin']);

    const { AuthenticationResult: refreshed } = await idp.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: r.RefreshToken },
    }));
    const again = await JwtRsaVerifier.create({ issuer, audience: null, jwksUri }, { jwksCache }).verify(refreshed.AccessToken);
    assert.equal(again.source, 'TokenGeneration_RefreshTokens');
  });
});
