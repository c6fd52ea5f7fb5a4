// The user directory as the AWS SDK for JavaScript v3 sees it: sign-up with the
// code from the outbox, admin-created users and ListUsers filters, groups,
// forgotten passwords, and the error classes the SDK throws.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  CodeMismatchException,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteGroupCommand,
  DeleteUserPoolCommand,
  ExpiredCodeException,
  ForgotPasswordCommand,
  GetGroupCommand,
  GroupExistsException,
  InvalidPasswordException,
  ListUsersCommand,
  NotAuthorizedException,
  ResendConfirmationCodeCommand,
  ResourceNotFoundException,
  SignUpCommand,
  UserNotFoundException,
  UsernameExistsException,
  paginateListGroups,
  paginateListUsers,
  paginateListUsersInGroup,
} from '@aws-sdk/client-cognito-identity-provider';

import { needs, startCogito, uniq } from './harness.mjs';

const POLICY = {
  PasswordPolicy: { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true },
};

const attrs = (obj) => Object.entries(obj).map(([Name, Value]) => ({ Name, Value }));
const attrMap = (list) => Object.fromEntries((list ?? []).map((a) => [a.Name, a.Value]));
const otherCode = (code) => `${(Number(code[0]) + 1) % 10}${code.slice(1)}`;

/** Asserts a rejection is the SDK's class cls, with HTTP 400 and, when given, the exact message. */
function rejectsWith(cls, message) {
  return (err) => {
    assert.ok(err instanceof cls, `got ${err.name}: ${err.message}, want ${cls.name}`);
    assert.equal(err.name, cls.name);
    assert.equal(err.$fault, 'client');
    assert.equal(err.$metadata.httpStatusCode, 400);
    if (message instanceof RegExp) assert.match(err.message, message);
    else if (message !== undefined) assert.equal(err.message, message);
    return true;
  };
}

describe('user directory', () => {
  let cogito;
  let idp;
  const pools = [];

  before(async () => {
    cogito = await startCogito();
    idp = cogito.idp();
  });
  after(async () => {
    for (const id of pools) await idp.send(new DeleteUserPoolCommand({ UserPoolId: id })).catch(() => {});
    await cogito?.stop();
  });

  /** A pool that verifies emails, with a public client. */
  async function signUpPool(extra = {}) {
    const { UserPool } = await idp.send(new CreateUserPoolCommand({
      PoolName: uniq('js-users'), Policies: POLICY, AutoVerifiedAttributes: ['email'], ...extra,
    }));
    pools.push(UserPool.Id);
    const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: UserPool.Id, ClientName: 'web' }));
    return { pool: UserPool.Id, client: UserPoolClient.ClientId };
  }

  /** The newest message to a user, checking the count and kind. */
  async function lastMessage(pool, username, kind, count) {
    const msgs = await cogito.outbox(pool, username);
    assert.equal(msgs.length, count, `outbox of ${username}: ${JSON.stringify(msgs)}`);
    const m = msgs.at(-1);
    assert.equal(m.kind, kind);
    assert.equal(m.userPoolId, pool);
    assert.equal(m.username, username);
    return m;
  }

  it('signs up, confirms with the code from the outbox after a resend, and refuses what Cognito refuses',
    { skip: needs('CreateUserPool', 'CreateUserPoolClient', 'SignUp', 'ConfirmSignUp', 'ResendConfirmationCode', 'AdminGetUser') },
    async () => {
      const { pool, client } = await signUpPool();
      const out = await idp.send(new SignUpCommand({
        ClientId: client, Username: 'jane', Password: 'Passw0rd!', UserAttributes: attrs({ email: 'jane@example.com', given_name: 'Jane' }),
      }));
      assert.equal(out.UserConfirmed, false);
      assert.match(out.UserSub, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.equal(out.CodeDeliveryDetails.DeliveryMedium, 'EMAIL');
      assert.equal(out.CodeDeliveryDetails.AttributeName, 'email');
      assert.ok(out.CodeDeliveryDetails.Destination.startsWith('j***@e***'), out.CodeDeliveryDetails.Destination);

      const m = await lastMessage(pool, 'jane', 'SIGN_UP', 1);
      assert.equal(m.deliveryMedium, 'EMAIL');
      assert.equal(m.destination, 'jane@example.com');
      assert.match(m.code, /^\d{6}$/);
      assert.ok(m.body.includes(m.code));
      const before = await idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'jane' }));
      assert.equal(before.UserStatus, 'UNCONFIRMED');
      assert.equal(attrMap(before.UserAttributes).sub, out.UserSub);

      await assert.rejects(idp.send(new ConfirmSignUpCommand({ ClientId: client, Username: 'jane', ConfirmationCode: otherCode(m.code) })),
        rejectsWith(CodeMismatchException, 'Invalid verification code provided, please try again.'));
      const resent = await idp.send(new ResendConfirmationCodeCommand({ ClientId: client, Username: 'jane' }));
      assert.equal(resent.CodeDeliveryDetails.DeliveryMedium, 'EMAIL');
      const { code } = await lastMessage(pool, 'jane', 'RESEND_CODE', 2);
      await idp.send(new ConfirmSignUpCommand({ ClientId: client, Username: 'jane', ConfirmationCode: code }));

      const after = await idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'jane' }));
      assert.equal(after.UserStatus, 'CONFIRMED');
      assert.equal(attrMap(after.UserAttributes).email_verified, 'true');
      await assert.rejects(idp.send(new ConfirmSignUpCommand({ ClientId: client, Username: 'jane', ConfirmationCode: code })),
        rejectsWith(NotAuthorizedException, 'User cannot be confirmed. Current status is CONFIRMED'));

      const signUp = (Username, Password) => idp.send(new SignUpCommand({ ClientId: client, Username, Password }));
      await assert.rejects(signUp('jane', 'Passw0rd!'), rejectsWith(UsernameExistsException, 'User already exists'));
      await assert.rejects(signUp('kim', 'Pa0!'), rejectsWith(InvalidPasswordException, 'Password did not conform with policy: Password not long enough'));
      await assert.rejects(signUp('kim', 'passw0rd!'), rejectsWith(InvalidPasswordException, 'Password did not conform with policy: Password must have uppercase characters'));
      await assert.rejects(idp.send(new ConfirmSignUpCommand({ ClientId: client, Username: 'nobody', ConfirmationCode: '123456' })),
        rejectsWith(UserNotFoundException, 'Username/client id combination not found.'));
      await assert.rejects(
        idp.send(new SignUpCommand({ ClientId: 'nosuchclient0123456789abcd', Username: 'kim', Password: 'Passw0rd!' })),
        rejectsWith(ResourceNotFoundException),
      );
    });

  it('creates users as an administrator, sends the invitation, and finds them with ListUsers filters',
    { skip: needs('CreateUserPool', 'AdminCreateUser', 'AdminGetUser', 'AdminSetUserPassword', 'ListUsers') },
    async () => {
      const { pool } = await signUpPool();
      const created = await idp.send(new AdminCreateUserCommand({
        UserPoolId: pool, Username: 'alice', TemporaryPassword: 'Temp-Passw0rd',
        UserAttributes: attrs({ email: 'alice@example.com', given_name: 'Alice' }), DesiredDeliveryMediums: ['EMAIL'],
      }));
      assert.equal(created.User.Username, 'alice');
      assert.equal(created.User.UserStatus, 'FORCE_CHANGE_PASSWORD');
      assert.equal(created.User.Enabled, true);
      assert.ok(created.User.UserCreateDate instanceof Date);
      const inv = await lastMessage(pool, 'alice', 'INVITATION', 1);
      assert.equal(inv.destination, 'alice@example.com');
      assert.equal(inv.subject, 'Your temporary password');
      assert.equal(inv.body, 'Your username is alice and temporary password is Temp-Passw0rd. ');

      for (const [name, given] of [['ann', 'Ann'], ['anne', 'Anne'], ['annika', 'Annika'], ['bert', 'Bert'], ['carl', 'Carl']]) {
        await idp.send(new AdminCreateUserCommand({
          UserPoolId: pool, Username: name, MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp-Passw0rd',
          UserAttributes: attrs({ email: `${name}@example.com`, given_name: given }),
        }));
      }
      await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: 'carl', Password: 'Perm-Passw0rd', Permanent: true }));
      await assert.rejects(
        idp.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'alice', MessageAction: 'SUPPRESS' })),
        rejectsWith(UsernameExistsException, 'User account already exists'),
      );

      const list = async (Filter, pageSize = 60) => {
        const names = [];
        for await (const page of paginateListUsers({ client: idp, pageSize }, { UserPoolId: pool, Filter })) {
          assert.ok(page.Users.length <= pageSize);
          names.push(...page.Users.map((u) => u.Username));
        }
        return names;
      };
      assert.deepEqual((await list(undefined, 2)).sort(), ['alice', 'ann', 'anne', 'annika', 'bert', 'carl']);
      assert.deepEqual(await list('username = "anne"'), ['anne']);
      assert.deepEqual(await list('username ^= "ann"'), ['ann', 'anne', 'annika']);
      assert.deepEqual((await list('username ^= "ann"', 1)).sort(), ['ann', 'anne', 'annika']);
      assert.deepEqual(await list('email = "bert@example.com"'), ['bert']);
      assert.deepEqual(await list('given_name ^= "Al"'), ['alice']);
      assert.deepEqual(await list('cognito:user_status = "CONFIRMED"'), ['carl']);

      const { Users } = await idp.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'username = "alice"' }));
      assert.equal(Users.length, 1);
      assert.equal(attrMap(Users[0].Attributes).given_name, 'Alice');
      assert.equal(Users[0].UserStatus, 'FORCE_CHANGE_PASSWORD');
      await assert.rejects(idp.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'username == "alice"' })),
        (err) => err.name === 'InvalidParameterException' && err.message === 'Error while parsing filter.');
      await assert.rejects(idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'nobody' })),
        rejectsWith(UserNotFoundException, 'User does not exist.'));
    });

  it('manages groups and their members', { skip: needs('CreateUserPool', 'AdminCreateUser', 'CreateGroup', 'GetGroup', 'ListGroups', 'DeleteGroup', 'AdminAddUserToGroup', 'AdminRemoveUserFromGroup', 'AdminListGroupsForUser', 'ListUsersInGroup') }, async () => {
    const { pool } = await signUpPool();
    for (const Username of ['pat', 'quinn']) {
      await idp.send(new AdminCreateUserCommand({ UserPoolId: pool, Username, MessageAction: 'SUPPRESS' }));
    }
    const { Group } = await idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'admins', Description: 'Administrators', Precedence: 1 }));
    assert.equal(Group.GroupName, 'admins');
    assert.equal(Group.UserPoolId, pool);
    assert.equal(Group.Precedence, 1);
    assert.ok(Group.CreationDate instanceof Date);
    await idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'readers' }));
    await assert.rejects(idp.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'admins' })), rejectsWith(GroupExistsException));
    assert.deepEqual((await idp.send(new GetGroupCommand({ UserPoolId: pool, GroupName: 'admins' }))).Group, Group);

    const groups = [];
    for await (const page of paginateListGroups({ client: idp, pageSize: 1 }, { UserPoolId: pool })) groups.push(...page.Groups.map((g) => g.GroupName));
    assert.deepEqual(groups.sort(), ['admins', 'readers']);

    const add = (Username, GroupName) => idp.send(new AdminAddUserToGroupCommand({ UserPoolId: pool, Username, GroupName }));
    await add('pat', 'admins');
    await add('quinn', 'admins');
    await add('pat', 'readers');
    const members = async (GroupName) => {
      const names = [];
      for await (const page of paginateListUsersInGroup({ client: idp, pageSize: 1 }, { UserPoolId: pool, GroupName })) names.push(...page.Users.map((u) => u.Username));
      return names.sort();
    };
    assert.deepEqual(await members('admins'), ['pat', 'quinn']);
    const { Groups } = await idp.send(new AdminListGroupsForUserCommand({ UserPoolId: pool, Username: 'pat' }));
    assert.deepEqual(Groups.map((g) => g.GroupName).sort(), ['admins', 'readers']);

    await idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool, Username: 'quinn', GroupName: 'admins' }));
    assert.deepEqual(await members('admins'), ['pat']);
    await assert.rejects(add('nobody', 'admins'), rejectsWith(UserNotFoundException, 'User does not exist.'));
    await assert.rejects(add('pat', 'nogroup'), rejectsWith(ResourceNotFoundException, 'Group not found.'));
    await idp.send(new DeleteGroupCommand({ UserPoolId: pool, GroupName: 'readers' }));
    const left = await idp.send(new AdminListGroupsForUserCommand({ UserPoolId: pool, Username: 'pat' }));
    assert.deepEqual(left.Groups.map((g) => g.GroupName), ['admins']);
  });

  it('resets a forgotten password with the code from the outbox',
    { skip: needs('CreateUserPool', 'SignUp', 'ConfirmSignUp', 'ForgotPassword', 'ConfirmForgotPassword') },
    async () => {
      const { pool, client } = await signUpPool();
      await idp.send(new SignUpCommand({ ClientId: client, Username: 'mia', Password: 'Passw0rd!', UserAttributes: attrs({ email: 'mia@example.com' }) }));
      const signUpCode = (await lastMessage(pool, 'mia', 'SIGN_UP', 1)).code;
      await idp.send(new ConfirmSignUpCommand({ ClientId: client, Username: 'mia', ConfirmationCode: signUpCode }));

      const fp = await idp.send(new ForgotPasswordCommand({ ClientId: client, Username: 'mia' }));
      assert.equal(fp.CodeDeliveryDetails.DeliveryMedium, 'EMAIL');
      assert.ok(fp.CodeDeliveryDetails.Destination.startsWith('m***@e***'), fp.CodeDeliveryDetails.Destination);
      const { code } = await lastMessage(pool, 'mia', 'FORGOT_PASSWORD', 2);
      assert.match(code, /^\d{6}$/);

      const confirm = (ConfirmationCode, Password) =>
        idp.send(new ConfirmForgotPasswordCommand({ ClientId: client, Username: 'mia', ConfirmationCode, Password }));
      await assert.rejects(confirm(otherCode(code), 'New-Passw0rd'), rejectsWith(CodeMismatchException, 'Invalid verification code provided, please try again.'));
      await assert.rejects(confirm(code, 'short'), rejectsWith(InvalidPasswordException, /^Password (did not conform with|does not conform to) policy: Password not long enough$/));
      await confirm(code, 'New-Passw0rd');
      await assert.rejects(confirm(code, 'Newer-Passw0rd'), rejectsWith(ExpiredCodeException, 'Invalid code provided, please request a code again.'));
      assert.equal((await idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'mia' }))).UserStatus, 'CONFIRMED');

      await assert.rejects(idp.send(new ForgotPasswordCommand({ ClientId: client, Username: 'nobody' })),
        rejectsWith(UserNotFoundException, 'Username/client id combination not found.'));
    });
});
