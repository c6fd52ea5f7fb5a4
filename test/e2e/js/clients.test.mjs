// App-client journey as the AWS SDK for JavaScript v3 sees it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  AddUserPoolClientSecretCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolClientSecretCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientSecretsCommand,
  UpdateUserPoolClientCommand,
  paginateListUserPoolClients,
} from '@aws-sdk/client-cognito-identity-provider';

import { needs, startCogito, uniq } from './harness.mjs';

describe('app clients', () => {
  let cogito;
  let idp;
  const created = [];

  before(async () => {
    cogito = await startCogito();
    idp = cogito.idp();
  });
  after(async () => {
    for (const id of created) await idp.send(new DeleteUserPoolCommand({ UserPoolId: id })).catch(() => {});
    await cogito?.stop();
  });

  async function createPool() {
    const { UserPool } = await idp.send(new CreateUserPoolCommand({ PoolName: uniq('js-clients') }));
    created.push(UserPool.Id);
    return UserPool.Id;
  }
  const describeClient = async (UserPoolId, ClientId) =>
    (await idp.send(new DescribeUserPoolClientCommand({ UserPoolId, ClientId }))).UserPoolClient;

  it('creates a public client with Cognito defaults, describes, updates and deletes it',
    { skip: needs('CreateUserPool', 'CreateUserPoolClient', 'DescribeUserPoolClient', 'UpdateUserPoolClient', 'DeleteUserPoolClient') },
    async () => {
      const pool = await createPool();
      const { UserPoolClient: cl } = await idp.send(new CreateUserPoolClientCommand({
        UserPoolId: pool,
        ClientName: 'web',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }));
      assert.match(cl.ClientId, /^[\w+]+$/);
      assert.equal(cl.UserPoolId, pool);
      assert.equal(cl.ClientName, 'web');
      assert.equal(cl.ClientSecret, undefined, 'no secret unless asked for');
      assert.equal(cl.RefreshTokenValidity, 30);
      assert.equal(cl.AuthSessionValidity, 3);
      assert.equal(cl.EnableTokenRevocation, true);
      assert.ok(cl.CreationDate instanceof Date);
      assert.deepEqual(cl.ExplicitAuthFlows, ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
      assert.deepEqual(await describeClient(pool, cl.ClientId), cl, 'DescribeUserPoolClient equals the create response');

      const { UserPoolClient: upd } = await idp.send(new UpdateUserPoolClientCommand({
        UserPoolId: pool,
        ClientId: cl.ClientId,
        ClientName: 'web-v2',
        AccessTokenValidity: 30,
        TokenValidityUnits: { AccessToken: 'minutes' },
      }));
      assert.equal(upd.ClientName, 'web-v2');
      const d = await describeClient(pool, cl.ClientId);
      assert.equal(d.ClientName, 'web-v2');
      assert.equal(d.AccessTokenValidity, 30);
      assert.equal(d.TokenValidityUnits.AccessToken, 'minutes');

      await idp.send(new DeleteUserPoolClientCommand({ UserPoolId: pool, ClientId: cl.ClientId }));
      await assert.rejects(describeClient(pool, cl.ClientId), (err) => {
        assert.equal(err.name, 'ResourceNotFoundException');
        assert.equal(err.$metadata.httpStatusCode, 400);
        return true;
      });
    });

  it('creates a confidential client and rotates its secrets',
    { skip: needs('CreateUserPool', 'CreateUserPoolClient', 'DescribeUserPoolClient', 'AddUserPoolClientSecret', 'ListUserPoolClientSecrets', 'DeleteUserPoolClientSecret') },
    async () => {
      const pool = await createPool();
      const { UserPoolClient: cl } = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: 'server', GenerateSecret: true }));
      assert.ok(cl.ClientSecret?.length >= 24 && cl.ClientSecret.length <= 64, `secret length ${cl.ClientSecret?.length}`);
      assert.equal((await describeClient(pool, cl.ClientId)).ClientSecret, cl.ClientSecret);

      const list = async () => (await idp.send(new ListUserPoolClientSecretsCommand({ UserPoolId: pool, ClientId: cl.ClientId }))).ClientSecrets;
      const first = await list();
      assert.equal(first.length, 1);
      assert.equal(first[0].ClientSecretValue, undefined, 'listing never reveals a secret');
      assert.ok(first[0].ClientSecretId.startsWith(`${cl.ClientId}--`));
      assert.ok(first[0].ClientSecretCreateDate instanceof Date);

      await new Promise((r) => setTimeout(r, 1100)); // secret ids carry the creation time
      const { ClientSecretDescriptor: added } = await idp.send(new AddUserPoolClientSecretCommand({ UserPoolId: pool, ClientId: cl.ClientId }));
      assert.ok(added.ClientSecretValue?.length >= 24, 'a generated secret is returned once');
      assert.equal((await list()).length, 2);

      await idp.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: pool, ClientId: cl.ClientId, ClientSecretId: first[0].ClientSecretId }));
      const rest = await list();
      assert.deepEqual(rest.map((s) => s.ClientSecretId), [added.ClientSecretId]);
      await assert.rejects(
        idp.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: pool, ClientId: cl.ClientId, ClientSecretId: added.ClientSecretId })),
        (err) => err.$metadata.httpStatusCode === 400,
        'the last secret cannot be deleted',
      );
    });

  it('pages through ListUserPoolClients', { skip: needs('CreateUserPool', 'CreateUserPoolClient', 'ListUserPoolClients') }, async () => {
    const pool = await createPool();
    const ids = new Set();
    for (let i = 0; i < 5; i++) {
      ids.add((await idp.send(new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: `c${i}` }))).UserPoolClient.ClientId);
    }
    const seen = [];
    for await (const page of paginateListUserPoolClients({ client: idp, pageSize: 2 }, { UserPoolId: pool })) {
      assert.ok(page.UserPoolClients.length <= 2);
      for (const c of page.UserPoolClients) {
        assert.equal(c.UserPoolId, pool);
        seen.push(c.ClientId);
      }
    }
    assert.deepEqual(new Set(seen), ids);
    assert.equal(seen.length, ids.size, 'no client listed twice');
  });

  it('reports unknown pools and clients', { skip: needs('CreateUserPool', 'CreateUserPoolClient', 'DescribeUserPoolClient') }, async () => {
    await assert.rejects(
      idp.send(new CreateUserPoolClientCommand({ UserPoolId: 'us-east-1_NoSuchPool2', ClientName: 'x' })),
      { name: 'ResourceNotFoundException' },
    );
    const pool = await createPool();
    await assert.rejects(describeClient(pool, 'nosuchclient0123456789abcd'), { name: 'ResourceNotFoundException' });
    await assert.rejects(
      idp.send(new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: 'both', GenerateSecret: true, ClientSecret: 'CustomSecretValue1234567890abcdefXYZ' })),
      { name: 'InvalidParameterException' },
    );
  });
});
