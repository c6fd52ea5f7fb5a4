// The wire as browsers and the SDK meet it: validation errors, error names and
// statuses, the API on any path, CORS preflight, and the identity-pool client.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  InvalidParameterException,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DescribeIdentityPoolCommand, ListIdentityPoolsCommand } from '@aws-sdk/client-cognito-identity';

import { ACCESS_KEY, SECRET_KEY, needs, startCogito } from './harness.mjs';

describe('protocol', () => {
  let cogito;
  let idp;

  before(async () => {
    cogito = await startCogito();
    idp = cogito.idp();
  });
  after(async () => { await cogito?.stop(); });

  it('answers bad input with InvalidParameterException and the AWS validation text', async () => {
    // The JS SDK does not validate input, so everything reaches the server.
    await assert.rejects(idp.send(new CreateUserPoolCommand({})), (err) => {
      assert.equal(err.name, 'InvalidParameterException');
      assert.ok(err instanceof InvalidParameterException);
      assert.equal(err.$metadata.httpStatusCode, 400);
      assert.equal(err.message, "1 validation error detected: Value null at 'poolName' failed to satisfy constraint: Member must not be null");
      return true;
    });
    await assert.rejects(idp.send(new DescribeUserPoolCommand({ UserPoolId: 'not a pool id' })), (err) => {
      assert.equal(err.name, 'InvalidParameterException');
      assert.match(err.message, /Value 'not a pool id' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern/);
      return true;
    });
    await assert.rejects(idp.send(new ListUserPoolsCommand({ MaxResults: 61 })), (err) => {
      assert.equal(err.name, 'InvalidParameterException');
      assert.match(err.message, /at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60/);
      return true;
    });
  });

  it('reports an unknown pool as ResourceNotFoundException', { skip: needs('DescribeUserPool') }, async () => {
    await assert.rejects(idp.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_NoSuchPool3' })), (err) => {
      assert.equal(err.name, 'ResourceNotFoundException');
      assert.equal(err.$metadata.httpStatusCode, 400);
      assert.match(err.message, /us-east-1_NoSuchPool3/);
      return true;
    });
  });

  it('serves the API on any path, as Amplify posts to its endpoint verbatim', async () => {
    const onPath = cogito.idp(`${cogito.url}/some/prefix`);
    await assert.rejects(onPath.send(new DescribeUserPoolCommand({ UserPoolId: 'bad id' })), { name: 'InvalidParameterException' });
  });

  it('answers a browser CORS preflight and exposes the error headers', async () => {
    const requested = 'content-type,x-amz-target,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request,cache-control';
    const pre = await fetch(`${cogito.url}/`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:3000',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': requested,
      },
    });
    assert.ok(pre.status === 200 || pre.status === 204, `preflight status ${pre.status}`);
    const allowOrigin = pre.headers.get('access-control-allow-origin');
    assert.ok(allowOrigin === '*' || allowOrigin === 'http://localhost:3000', `Access-Control-Allow-Origin ${allowOrigin}`);
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
    const allowHeaders = (pre.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    if (allowHeaders !== '*') {
      for (const h of requested.split(',')) assert.ok(allowHeaders.split(/\s*,\s*/).includes(h), `header ${h} allowed (got ${allowHeaders})`);
    }

    // The actual request: an error the browser may read.
    const res = await fetch(`${cogito.url}/`, {
      method: 'POST',
      headers: {
        Origin: 'http://localhost:3000',
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityProviderService.DescribeUserPool',
      },
      body: JSON.stringify({ UserPoolId: 'bad id' }),
    });
    assert.equal(res.status, 400);
    assert.ok(['*', 'http://localhost:3000'].includes(res.headers.get('access-control-allow-origin')));
    const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase();
    for (const h of ['x-amzn-requestid', 'x-amzn-errortype']) assert.ok(exposed.includes(h), `${h} exposed (got ${exposed})`);
    assert.match(res.headers.get('x-amzn-errortype'), /^InvalidParameterException/);
    const body = await res.json();
    assert.equal(body.__type, 'InvalidParameterException');

    // The JWKS is read cross-origin too.
    const preJwks = await fetch(`${cogito.url}/us-east-1_Abc/.well-known/jwks.json`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'GET' },
    });
    assert.ok(preJwks.status === 200 || preJwks.status === 204);
    assert.match(preJwks.headers.get('access-control-allow-methods') ?? '', /\bGET\b/);
  });

  it('answers operations without output with a JSON {} body, as Amplify\'s deserializer needs',
    { skip: needs('CreateUserPool', 'UpdateUserPool', 'DeleteUserPool') },
    async () => {
      const { UserPool } = await idp.send(new CreateUserPoolCommand({ PoolName: 'js-empty-output' }));
      for (const [op, body] of [
        ['UpdateUserPool', { UserPoolId: UserPool.Id }],
        ['DeleteUserPool', { UserPoolId: UserPool.Id }],
      ]) {
        const res = await fetch(`${cogito.url}/`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityProviderService.${op}` },
          body: JSON.stringify(body),
        });
        assert.equal(res.status, 200, op);
        assert.match(res.headers.get('content-type'), /^application\/x-amz-json-1\.1/, op);
        assert.ok(res.headers.get('x-amzn-requestid'), `${op} request id`);
        assert.deepEqual(await res.json(), {}, op);
      }
    });

  it('reaches the identity-pool API with @aws-sdk/client-cognito-identity', async () => {
    const identity = cogito.identity();
    await assert.rejects(identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: 'not-an-identity-pool' })), (err) => {
      assert.equal(err.name, 'InvalidParameterException');
      assert.equal(err.$metadata.httpStatusCode, 400);
      assert.match(err.message, /at 'identityPoolId' failed to satisfy constraint/);
      return true;
    });
    try {
      const out = await identity.send(new ListIdentityPoolsCommand({ MaxResults: 10 }));
      assert.ok(Array.isArray(out.IdentityPools ?? []));
    } catch (err) {
      assert.equal(err.name, 'NotImplementedException');
      assert.equal(err.$metadata.httpStatusCode, 501);
    }
  });
});

describe('SigV4 with IAM credentials configured', () => {
  let cogito;
  before(async () => { cogito = await startCogito(['--iam-credentials', `${ACCESS_KEY}:${SECRET_KEY}`]); });
  after(async () => { await cogito?.stop(); });

  it('accepts the SDK\'s signature and refuses a wrong secret or an unknown key', async () => {
    const out = await cogito.idp().send(new ListUserPoolsCommand({ MaxResults: 5 }));
    assert.ok(Array.isArray(out.UserPools));
    const wrong = cogito.idp(cogito.url, { accessKeyId: ACCESS_KEY, secretAccessKey: 'not-the-secret' });
    await assert.rejects(wrong.send(new ListUserPoolsCommand({ MaxResults: 5 })), (err) => {
      assert.equal(err.name, 'InvalidSignatureException');
      assert.equal(err.$metadata.httpStatusCode, 400);
      return true;
    });
    const unknown = cogito.idp(cogito.url, { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: SECRET_KEY });
    await assert.rejects(unknown.send(new ListUserPoolsCommand({ MaxResults: 5 })), { name: 'UnrecognizedClientException' });
  });
});
