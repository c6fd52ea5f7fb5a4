// User-pool journey as the AWS SDK for JavaScript v3 sees it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';

import {
  AddCustomAttributesCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  GetSigningCertificateCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateUserPoolCommand,
  paginateListUserPools,
} from '@aws-sdk/client-cognito-identity-provider';

import { needs, startCogito, uniq } from './harness.mjs';

const POOL_ID = /^us-east-1_[0-9A-Za-z]+$/;

describe('user pools', () => {
  let cogito;
  let idp;
  const created = [];

  before(async () => {
    cogito = await startCogito();
    idp = cogito.idp();
  });
  after(async () => {
    for (const id of created) {
      await idp.send(new UpdateUserPoolCommand({ UserPoolId: id, DeletionProtection: 'INACTIVE' })).catch(() => {});
      await idp.send(new DeleteUserPoolCommand({ UserPoolId: id })).catch(() => {});
    }
    await cogito?.stop();
  });

  async function createPool(prefix, input = {}) {
    const out = await idp.send(new CreateUserPoolCommand({ PoolName: uniq(prefix), ...input }));
    assert.ok(out.UserPool?.Id, 'CreateUserPool returned no UserPool.Id');
    created.push(out.UserPool.Id);
    return out.UserPool;
  }

  it('creates, describes, updates, lists, tags and deletes a pool',
    { skip: needs('CreateUserPool', 'DescribeUserPool', 'UpdateUserPool', 'ListUserPools', 'TagResource', 'UntagResource', 'ListTagsForResource', 'DeleteUserPool') },
    async () => {
      const pool = await createPool('js-journey', {
        Policies: { PasswordPolicy: { MinimumLength: 10, RequireUppercase: true, RequireLowercase: true, RequireNumbers: false, RequireSymbols: false, TemporaryPasswordValidityDays: 3 } },
        AutoVerifiedAttributes: ['email'],
        UsernameAttributes: ['email'],
        Schema: [{ Name: 'tenant', AttributeDataType: 'String', Mutable: true }],
        UserPoolTags: { env: 'e2e' },
      });
      assert.match(pool.Id, POOL_ID);
      assert.equal(pool.Arn, `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool.Id}`);
      // Timestamps arrive as epoch seconds and the SDK turns them into Dates.
      assert.ok(pool.CreationDate instanceof Date, 'CreationDate is a Date');
      assert.ok(Math.abs(Date.now() - pool.CreationDate.getTime()) < 5 * 60 * 1000, 'CreationDate is near now');
      assert.equal(pool.Policies.PasswordPolicy.MinimumLength, 10);
      assert.equal(pool.Policies.PasswordPolicy.RequireNumbers, false);
      assert.deepEqual(pool.UsernameAttributes, ['email']);
      assert.ok(pool.SchemaAttributes.some((a) => a.Name === 'custom:tenant'), 'custom:tenant in SchemaAttributes');

      const { UserPool: desc } = await idp.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
      assert.deepEqual(desc, pool, 'DescribeUserPool equals the CreateUserPool response');

      await idp.send(new UpdateUserPoolCommand({
        UserPoolId: pool.Id,
        Policies: { PasswordPolicy: { MinimumLength: 12, RequireNumbers: true } },
        AutoVerifiedAttributes: ['email'],
        MfaConfiguration: 'OFF',
      }));
      const { UserPool: upd } = await idp.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
      assert.equal(upd.Policies.PasswordPolicy.MinimumLength, 12);
      assert.equal(upd.Policies.PasswordPolicy.RequireNumbers, true);
      assert.equal(upd.Name, pool.Name);
      assert.deepEqual(upd.UsernameAttributes, ['email'], 'UsernameAttributes survive an update');

      // Tags.
      await idp.send(new TagResourceCommand({ ResourceArn: pool.Arn, Tags: { a: '1', b: '2' } }));
      await idp.send(new UntagResourceCommand({ ResourceArn: pool.Arn, TagKeys: ['a'] }));
      const { Tags } = await idp.send(new ListTagsForResourceCommand({ ResourceArn: pool.Arn }));
      assert.equal(Tags.b, '2');
      assert.equal(Tags.a, undefined);

      // Delete; the pool is gone.
      await idp.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id }));
      await assert.rejects(idp.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id })), (err) => {
        assert.equal(err.name, 'ResourceNotFoundException');
        assert.ok(err instanceof ResourceNotFoundException, 'the modeled exception class');
        assert.equal(err.$metadata.httpStatusCode, 400);
        assert.equal(err.$fault, 'client');
        assert.match(err.message, new RegExp(pool.Id));
        assert.ok(err.$metadata.requestId, 'request id');
        return true;
      });
    });

  it('fills Cognito defaults for a pool created with a name only', { skip: needs('CreateUserPool') }, async () => {
    const pool = await createPool('js-defaults');
    const pp = pool.Policies.PasswordPolicy;
    assert.deepEqual(
      [pp.MinimumLength, pp.RequireUppercase, pp.RequireLowercase, pp.RequireNumbers, pp.RequireSymbols, pp.TemporaryPasswordValidityDays],
      [8, true, true, true, true, 7],
    );
    assert.equal(pool.MfaConfiguration, 'OFF');
    assert.equal(pool.DeletionProtection, 'INACTIVE');
    assert.equal(pool.EstimatedNumberOfUsers, 0);
    assert.equal(pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly, false);
    const sub = pool.SchemaAttributes.find((a) => a.Name === 'sub');
    assert.equal(sub?.Required, true);
    assert.equal(sub?.Mutable, false);
    const emailVerified = pool.SchemaAttributes.find((a) => a.Name === 'email_verified');
    assert.equal(emailVerified?.AttributeDataType, 'Boolean');
  });

  it('pages through ListUserPools', { skip: needs('CreateUserPool', 'ListUserPools') }, async () => {
    const mine = new Set();
    for (let i = 0; i < 5; i++) mine.add((await createPool('js-page')).Id);
    const seen = new Map();
    let pages = 0;
    for await (const page of paginateListUserPools({ client: idp, pageSize: 2 }, {})) {
      pages++;
      assert.ok(page.UserPools.length <= 2, `page of ${page.UserPools.length}`);
      for (const p of page.UserPools) seen.set(p.Id, (seen.get(p.Id) ?? 0) + 1);
      assert.ok(pages < 1000, 'paging ends');
    }
    assert.ok(pages >= 3, `${pages} pages`);
    for (const id of mine) assert.equal(seen.get(id), 1, `pool ${id} listed once`);
  });

  it('adds custom attributes', { skip: needs('CreateUserPool', 'AddCustomAttributes', 'DescribeUserPool') }, async () => {
    const pool = await createPool('js-custom');
    await idp.send(new AddCustomAttributesCommand({
      UserPoolId: pool.Id,
      CustomAttributes: [{ Name: 'plan', AttributeDataType: 'String' }],
    }));
    const { UserPool } = await idp.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
    assert.ok(UserPool.SchemaAttributes.some((a) => a.Name === 'custom:plan'));
    await assert.rejects(idp.send(new AddCustomAttributesCommand({
      UserPoolId: pool.Id,
      CustomAttributes: [{ Name: 'plan', AttributeDataType: 'String' }],
    })), { name: 'InvalidParameterException' });
  });

  it('refuses to delete a protected pool', { skip: needs('CreateUserPool', 'DeleteUserPool', 'UpdateUserPool') }, async () => {
    const pool = await createPool('js-protected', { DeletionProtection: 'ACTIVE' });
    await assert.rejects(idp.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id })), (err) => {
      assert.equal(err.name, 'InvalidParameterException');
      assert.equal(err.$metadata.httpStatusCode, 400);
      return true;
    });
    await idp.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, DeletionProtection: 'INACTIVE' }));
    await idp.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id }));
  });

  it('returns an X.509 signing certificate', { skip: needs('CreateUserPool', 'GetSigningCertificate') }, async () => {
    const pool = await createPool('js-cert');
    const { Certificate } = await idp.send(new GetSigningCertificateCommand({ UserPoolId: pool.Id }));
    assert.ok(!Certificate.includes('BEGIN'), 'bare base64 DER, no PEM armour');
    const cert = new X509Certificate(Buffer.from(Certificate, 'base64'));
    assert.equal(cert.publicKey.asymmetricKeyType, 'rsa');
    assert.ok(new Date(cert.validTo) > new Date(), 'valid now');
  });

  it('serves JWKS and discovery a JWT library can use', { skip: needs('CreateUserPool') }, async () => {
    const { createPublicKey } = await import('node:crypto');
    const pool = await createPool('js-jwks');
    const res = await fetch(`${cogito.url}/${pool.Id}/.well-known/jwks.json`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    const { keys } = await res.json();
    assert.ok(keys.length >= 2, 'separate keys for ID and access tokens');
    for (const k of keys) {
      assert.equal(k.kty, 'RSA');
      assert.equal(k.alg, 'RS256');
      assert.equal(k.use, 'sig');
      assert.ok(k.kid);
      const key = createPublicKey({ key: k, format: 'jwk' });
      assert.ok(key.asymmetricKeyDetails.modulusLength >= 2048);
    }
    const disc = await (await fetch(`${cogito.url}/${pool.Id}/.well-known/openid-configuration`)).json();
    assert.equal(disc.issuer, `${cogito.url}/${pool.Id}`);
    assert.equal(disc.jwks_uri, `${disc.issuer}/.well-known/jwks.json`);
    assert.deepEqual(disc.id_token_signing_alg_values_supported, ['RS256']);
    const missing = await fetch(`${cogito.url}/us-east-1_NoSuchPool1/.well-known/jwks.json`);
    assert.equal(missing.status, 404);
  });
});
