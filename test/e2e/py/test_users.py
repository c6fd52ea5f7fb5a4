"""The user directory as boto3 sees it: sign-up with the code from the outbox,
admin-created users and ListUsers filters, groups, forgotten passwords, and
errors as e.response['Error'] carries them."""

import base64
import datetime
import hashlib
import hmac
import re
import time
import unittest
import urllib.request

from botocore.exceptions import ClientError

from harness import Cogito, needs, uniq

cogito = None

POLICY = {"PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": True, "RequireLowercase": True,
                             "RequireNumbers": True, "RequireSymbols": True}}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def setUpModule():
    global cogito
    cogito = Cogito()


def tearDownModule():
    cogito.stop()


def attrs(**kv):
    return [{"Name": k, "Value": v} for k, v in kv.items()]


def attr_map(lst):
    return {a["Name"]: a["Value"] for a in lst}


def other_code(code):
    return str((int(code[0]) + 1) % 10) + code[1:]


def secret_hash(client_id, secret, username):
    mac = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


class UserTests(unittest.TestCase):
    def setUp(self):
        self.idp = cogito.client()
        self.pools = []

    def tearDown(self):
        for pool_id in self.pools:
            try:
                self.idp.delete_user_pool(UserPoolId=pool_id)
            except ClientError:
                pass

    def pool(self, **extra):
        """A pool that verifies emails, with a public client (and one with a secret)."""
        pool_id = self.idp.create_user_pool(PoolName=uniq("py-users"), Policies=POLICY,
                                            AutoVerifiedAttributes=["email"], **extra)["UserPool"]["Id"]
        self.pools.append(pool_id)
        client = self.idp.create_user_pool_client(UserPoolId=pool_id, ClientName="web")["UserPoolClient"]["ClientId"]
        return pool_id, client

    def last_message(self, pool_id, username, kind, count):
        msgs = cogito.outbox(pool_id, username)
        self.assertEqual(len(msgs), count, msgs)
        m = msgs[-1]
        self.assertEqual(m["kind"], kind, m)
        if kind != "INVITATION":
            self.assertRegex(m["code"], r"^\d{6}$")
        return m

    def assertError(self, ctx, code, message=None, message_re=None):
        err = ctx.exception.response["Error"]
        self.assertEqual(err["Code"], code, err)
        if message is not None:
            self.assertEqual(err["Message"], message)
        if message_re is not None:
            self.assertRegex(err["Message"], message_re)
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    @unittest.skipIf(*needs("CreateUserPool", "CreateUserPoolClient", "SignUp", "ConfirmSignUp",
                            "ResendConfirmationCode", "AdminGetUser"))
    def test_sign_up_journey(self):
        pool_id, client = self.pool()
        out = self.idp.sign_up(ClientId=client, Username="jane", Password="Passw0rd!",
                               UserAttributes=attrs(email="jane@example.com"))
        self.assertFalse(out["UserConfirmed"])
        self.assertRegex(out["UserSub"], UUID)
        d = out["CodeDeliveryDetails"]
        self.assertEqual((d["DeliveryMedium"], d["AttributeName"]), ("EMAIL", "email"))
        self.assertTrue(d["Destination"].startswith("j***@e***"), d)
        m = self.last_message(pool_id, "jane", "SIGN_UP", 1)
        self.assertEqual((m["deliveryMedium"], m["destination"]), ("EMAIL", "jane@example.com"))
        self.assertIn(m["code"], m["body"])
        self.assertEqual(self.idp.admin_get_user(UserPoolId=pool_id, Username="jane")["UserStatus"], "UNCONFIRMED")

        with self.assertRaises(self.idp.exceptions.CodeMismatchException) as ctx:
            self.idp.confirm_sign_up(ClientId=client, Username="jane", ConfirmationCode=other_code(m["code"]))
        self.assertError(ctx, "CodeMismatchException", "Invalid verification code provided, please try again.")

        self.idp.resend_confirmation_code(ClientId=client, Username="jane")
        code = self.last_message(pool_id, "jane", "RESEND_CODE", 2)["code"]
        self.idp.confirm_sign_up(ClientId=client, Username="jane", ConfirmationCode=code)
        user = self.idp.admin_get_user(UserPoolId=pool_id, Username="jane")
        self.assertEqual(user["UserStatus"], "CONFIRMED")
        self.assertEqual(attr_map(user["UserAttributes"])["email_verified"], "true")
        self.assertIsInstance(user["UserCreateDate"], datetime.datetime)

        with self.assertRaises(ClientError) as ctx:
            self.idp.confirm_sign_up(ClientId=client, Username="jane", ConfirmationCode=code)
        self.assertError(ctx, "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
        with self.assertRaises(ClientError) as ctx:
            self.idp.sign_up(ClientId=client, Username="jane", Password="Passw0rd!")
        self.assertError(ctx, "UsernameExistsException", "User already exists")
        for pw, reason in [("Pa0!xyz", "Password not long enough"),
                           ("PASSW0RD!", "Password must have lowercase characters"),
                           ("passw0rd!", "Password must have uppercase characters"),
                           ("Password!", "Password must have numeric characters"),
                           ("Passw0rdX", "Password must have symbol characters")]:
            with self.assertRaises(ClientError) as ctx:
                self.idp.sign_up(ClientId=client, Username="kim", Password=pw)
            self.assertError(ctx, "InvalidPasswordException", "Password did not conform with policy: " + reason)
        with self.assertRaises(ClientError) as ctx:
            self.idp.confirm_sign_up(ClientId=client, Username="nobody", ConfirmationCode="123456")
        self.assertError(ctx, "UserNotFoundException", "Username/client id combination not found.")

    @unittest.skipIf(*needs("CreateUserPool", "CreateUserPoolClient", "SignUp", "ConfirmSignUp", "ForgotPassword"))
    def test_secret_hash(self):
        pool_id, _ = self.pool()
        cl = self.idp.create_user_pool_client(UserPoolId=pool_id, ClientName="server", GenerateSecret=True)["UserPoolClient"]
        client, secret = cl["ClientId"], cl["ClientSecret"]
        with self.assertRaises(ClientError) as ctx:
            self.idp.sign_up(ClientId=client, Username="omar", Password="Passw0rd!", UserAttributes=attrs(email="omar@example.com"))
        self.assertError(ctx, "NotAuthorizedException", f"Client {client} is configured for secret but secret was not received")
        with self.assertRaises(ClientError) as ctx:
            self.idp.sign_up(ClientId=client, Username="omar", Password="Passw0rd!", SecretHash=secret_hash(client, secret, "x"))
        self.assertError(ctx, "NotAuthorizedException", f"Unable to verify secret hash for client {client}")
        h = secret_hash(client, secret, "omar")
        self.idp.sign_up(ClientId=client, Username="omar", Password="Passw0rd!", SecretHash=h,
                         UserAttributes=attrs(email="omar@example.com"))
        code = self.last_message(pool_id, "omar", "SIGN_UP", 1)["code"]
        self.idp.confirm_sign_up(ClientId=client, Username="omar", ConfirmationCode=code, SecretHash=h)
        self.idp.forgot_password(ClientId=client, Username="omar", SecretHash=h)
        self.last_message(pool_id, "omar", "FORGOT_PASSWORD", 2)

    @unittest.skipIf(*needs("CreateUserPool", "AdminCreateUser", "AdminGetUser", "AdminSetUserPassword",
                            "AdminDisableUser", "AdminEnableUser", "AdminUpdateUserAttributes",
                            "AdminDeleteUserAttributes", "AdminDeleteUser", "ListUsers"))
    def test_admin_users_and_list_filters(self):
        pool_id, _ = self.pool()
        u = self.idp.admin_create_user(UserPoolId=pool_id, Username="alice", TemporaryPassword="Temp-Passw0rd",
                                       UserAttributes=attrs(email="alice@example.com", given_name="Alice"),
                                       DesiredDeliveryMediums=["EMAIL"])["User"]
        self.assertEqual((u["Username"], u["UserStatus"], u["Enabled"]), ("alice", "FORCE_CHANGE_PASSWORD", True))
        self.assertRegex(attr_map(u["Attributes"])["sub"], UUID)
        inv = self.last_message(pool_id, "alice", "INVITATION", 1)
        self.assertEqual(inv["body"], "Your username is alice and temporary password is Temp-Passw0rd. ")
        self.assertEqual(inv["destination"], "alice@example.com")

        for name in ["ann", "anne", "annika", "bert", "carl"]:
            self.idp.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS",
                                       TemporaryPassword="Temp-Passw0rd",
                                       UserAttributes=attrs(email=f"{name}@example.com", given_name=name.title()))
        self.idp.admin_set_user_password(UserPoolId=pool_id, Username="carl", Password="Perm-Passw0rd", Permanent=True)
        self.idp.admin_disable_user(UserPoolId=pool_id, Username="bert")

        def names(filter_=None, page_size=60):
            kw = {"UserPoolId": pool_id, "PaginationConfig": {"PageSize": page_size}}
            if filter_:
                kw["Filter"] = filter_
            pages = list(self.idp.get_paginator("list_users").paginate(**kw))
            self.assertTrue(all(len(p["Users"]) <= page_size for p in pages))
            return [u["Username"] for p in pages for u in p["Users"]]

        self.assertEqual(sorted(names(page_size=2)), ["alice", "ann", "anne", "annika", "bert", "carl"])
        self.assertEqual(names('username = "anne"'), ["anne"])
        self.assertEqual(names('username ^= "ann"'), ["ann", "anne", "annika"])
        self.assertEqual(sorted(names('username ^= "ann"', page_size=1)), ["ann", "anne", "annika"])
        self.assertEqual(names('email ^= "car"'), ["carl"])
        self.assertEqual(names('given_name = "Alice"'), ["alice"])
        self.assertEqual(names('cognito:user_status = "CONFIRMED"'), ["carl"])
        self.assertEqual(names('status = "Disabled"'), ["bert"])
        self.idp.admin_enable_user(UserPoolId=pool_id, Username="bert")
        self.assertEqual(names('status = "Disabled"'), [])
        with self.assertRaises(ClientError) as ctx:
            self.idp.list_users(UserPoolId=pool_id, Filter='username == "x"')
        self.assertError(ctx, "InvalidParameterException", "Error while parsing filter.")

        self.idp.admin_update_user_attributes(UserPoolId=pool_id, Username="alice",
                                              UserAttributes=attrs(family_name="Liddell", given_name="Ally"))
        a = attr_map(self.idp.admin_get_user(UserPoolId=pool_id, Username="alice")["UserAttributes"])
        self.assertEqual((a["family_name"], a["given_name"]), ("Liddell", "Ally"))
        self.idp.admin_delete_user_attributes(UserPoolId=pool_id, Username="alice", UserAttributeNames=["family_name"])
        self.assertNotIn("family_name", attr_map(self.idp.admin_get_user(UserPoolId=pool_id, Username="alice")["UserAttributes"]))

        with self.assertRaises(ClientError) as ctx:
            self.idp.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
        self.assertError(ctx, "UsernameExistsException", "User account already exists")
        with self.assertRaises(ClientError) as ctx:
            self.idp.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password="Sh0rt!", Permanent=True)
        self.assertError(ctx, "InvalidPasswordException",
                         message_re=r"^Password (did not conform with|does not conform to) policy: Password not long enough$")
        self.idp.admin_delete_user(UserPoolId=pool_id, Username="alice")
        with self.assertRaises(self.idp.exceptions.UserNotFoundException) as ctx:
            self.idp.admin_get_user(UserPoolId=pool_id, Username="alice")
        self.assertError(ctx, "UserNotFoundException", "User does not exist.")

    @unittest.skipIf(*needs("CreateUserPool", "AdminCreateUser", "CreateGroup", "GetGroup", "ListGroups",
                            "AdminAddUserToGroup", "AdminRemoveUserFromGroup", "AdminListGroupsForUser",
                            "ListUsersInGroup", "DeleteGroup"))
    def test_groups(self):
        pool_id, _ = self.pool()
        for name in ["pat", "quinn"]:
            self.idp.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
        g = self.idp.create_group(UserPoolId=pool_id, GroupName="admins", Description="Administrators", Precedence=1)["Group"]
        self.assertEqual((g["GroupName"], g["UserPoolId"], g["Precedence"]), ("admins", pool_id, 1))
        self.idp.create_group(UserPoolId=pool_id, GroupName="readers")
        with self.assertRaises(ClientError) as ctx:
            self.idp.create_group(UserPoolId=pool_id, GroupName="admins")
        self.assertError(ctx, "GroupExistsException")
        self.assertEqual(self.idp.get_group(UserPoolId=pool_id, GroupName="admins")["Group"], g)
        pages = self.idp.get_paginator("list_groups").paginate(UserPoolId=pool_id, PaginationConfig={"PageSize": 1})
        self.assertEqual(sorted(x["GroupName"] for p in pages for x in p["Groups"]), ["admins", "readers"])

        for user, group in [("pat", "admins"), ("quinn", "admins"), ("pat", "readers")]:
            self.idp.admin_add_user_to_group(UserPoolId=pool_id, Username=user, GroupName=group)

        def members(group):
            pages = self.idp.get_paginator("list_users_in_group").paginate(
                UserPoolId=pool_id, GroupName=group, PaginationConfig={"PageSize": 1})
            return sorted(u["Username"] for p in pages for u in p["Users"])

        self.assertEqual(members("admins"), ["pat", "quinn"])
        groups = self.idp.admin_list_groups_for_user(UserPoolId=pool_id, Username="pat")["Groups"]
        self.assertEqual(sorted(x["GroupName"] for x in groups), ["admins", "readers"])
        self.idp.admin_remove_user_from_group(UserPoolId=pool_id, Username="quinn", GroupName="admins")
        self.assertEqual(members("admins"), ["pat"])
        with self.assertRaises(ClientError) as ctx:
            self.idp.admin_add_user_to_group(UserPoolId=pool_id, Username="nobody", GroupName="admins")
        self.assertError(ctx, "UserNotFoundException", "User does not exist.")
        with self.assertRaises(ClientError) as ctx:
            self.idp.admin_add_user_to_group(UserPoolId=pool_id, Username="pat", GroupName="nogroup")
        self.assertError(ctx, "ResourceNotFoundException", "Group not found.")
        self.idp.delete_group(UserPoolId=pool_id, GroupName="readers")
        groups = self.idp.admin_list_groups_for_user(UserPoolId=pool_id, Username="pat")["Groups"]
        self.assertEqual([x["GroupName"] for x in groups], ["admins"])

    @unittest.skipIf(*needs("CreateUserPool", "SignUp", "ConfirmSignUp", "ForgotPassword", "ConfirmForgotPassword",
                            "AdminCreateUser", "AdminSetUserPassword", "AdminResetUserPassword"))
    def test_forgot_and_reset_password(self):
        pool_id, client = self.pool()
        self.idp.sign_up(ClientId=client, Username="mia", Password="Passw0rd!", UserAttributes=attrs(email="mia@example.com"))
        self.idp.confirm_sign_up(ClientId=client, Username="mia",
                                 ConfirmationCode=self.last_message(pool_id, "mia", "SIGN_UP", 1)["code"])
        d = self.idp.forgot_password(ClientId=client, Username="mia")["CodeDeliveryDetails"]
        self.assertEqual(d["DeliveryMedium"], "EMAIL")
        code = self.last_message(pool_id, "mia", "FORGOT_PASSWORD", 2)["code"]
        with self.assertRaises(ClientError) as ctx:
            self.idp.confirm_forgot_password(ClientId=client, Username="mia", ConfirmationCode=other_code(code), Password="New-Passw0rd")
        self.assertError(ctx, "CodeMismatchException", "Invalid verification code provided, please try again.")
        self.idp.confirm_forgot_password(ClientId=client, Username="mia", ConfirmationCode=code, Password="New-Passw0rd")
        with self.assertRaises(ClientError) as ctx:
            self.idp.confirm_forgot_password(ClientId=client, Username="mia", ConfirmationCode=code, Password="Newer-Passw0rd")
        self.assertError(ctx, "ExpiredCodeException", "Invalid code provided, please request a code again.")
        with self.assertRaises(ClientError) as ctx:
            self.idp.forgot_password(ClientId=client, Username="nobody")
        self.assertError(ctx, "UserNotFoundException", "Username/client id combination not found.")

        # An administrator's reset: RESET_REQUIRED, then the same confirmation.
        self.idp.admin_create_user(UserPoolId=pool_id, Username="nils", MessageAction="SUPPRESS",
                                   UserAttributes=attrs(email="nils@example.com", email_verified="true"))
        self.idp.admin_set_user_password(UserPoolId=pool_id, Username="nils", Password="Perm-Passw0rd", Permanent=True)
        self.idp.admin_reset_user_password(UserPoolId=pool_id, Username="nils")
        self.assertEqual(self.idp.admin_get_user(UserPoolId=pool_id, Username="nils")["UserStatus"], "RESET_REQUIRED")
        code = self.last_message(pool_id, "nils", "FORGOT_PASSWORD", 1)["code"]
        self.idp.confirm_forgot_password(ClientId=client, Username="nils", ConfirmationCode=code, Password="New-Passw0rd")
        self.assertEqual(self.idp.admin_get_user(UserPoolId=pool_id, Username="nils")["UserStatus"], "CONFIRMED")

    @unittest.skipIf(*needs("CreateUserPool", "GetCSVHeader", "CreateUserImportJob", "StartUserImportJob",
                            "DescribeUserImportJob", "ListUserImportJobs"))
    def test_user_import(self):
        pool_id, _ = self.pool()
        header = self.idp.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
        self.assertEqual(header[-2:], ["cognito:mfa_enabled", "cognito:username"])
        job = self.idp.create_user_import_job(UserPoolId=pool_id, JobName="py-import",
                                              CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/CognitoImport")["UserImportJob"]
        self.assertEqual(job["Status"], "Created")
        self.assertRegex(job["JobId"], r"^import-[0-9a-zA-Z]+$")
        rows = [{"cognito:username": "uma", "email": "uma@example.com", "email_verified": "TRUE", "cognito:mfa_enabled": "FALSE"},
                {"cognito:username": "vic", "email": "vic@example.com", "email_verified": "true", "cognito:mfa_enabled": "false"}]
        body = "\n".join([",".join(header)] + [",".join(r.get(h, "") for h in header) for r in rows]) + "\n"
        req = urllib.request.Request(job["PreSignedUrl"], data=body.encode(), method="PUT",
                                     headers={"Content-Type": "text/csv", "x-amz-server-side-encryption": "aws:kms"})
        with urllib.request.urlopen(req, timeout=10) as r:
            self.assertEqual(r.status, 200)
        self.idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
        deadline = time.monotonic() + 20
        while True:
            j = self.idp.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
            if j["Status"] not in ("Created", "Pending", "InProgress") or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual((j["Status"], j["ImportedUsers"], j["SkippedUsers"], j["FailedUsers"]), ("Succeeded", 2, 0, 0), j)
        self.assertEqual(j["CompletionMessage"], "Import Job Completed Successfully.")
        self.assertEqual(self.idp.admin_get_user(UserPoolId=pool_id, Username="vic")["UserStatus"], "RESET_REQUIRED")
        jobs = self.idp.list_user_import_jobs(UserPoolId=pool_id, MaxResults=10)["UserImportJobs"]
        self.assertEqual([x["JobId"] for x in jobs], [job["JobId"]])
        with self.assertRaises(ClientError) as ctx:
            self.idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
        self.assertError(ctx, "PreconditionNotMetException")


if __name__ == "__main__":
    unittest.main()
