"""User-pool journey as boto3 sees it."""

import datetime
import re
import time
import unittest

from botocore.exceptions import ClientError

from harness import Cogito, needs, uniq

cogito = None


def setUpModule():
    global cogito
    cogito = Cogito()


def tearDownModule():
    cogito.stop()


POOL_ID = re.compile(r"^us-east-1_[0-9A-Za-z]+$")


class PoolTests(unittest.TestCase):
    def setUp(self):
        self.idp = cogito.client()
        self.created = []

    def tearDown(self):
        for pool_id in self.created:
            try:
                self.idp.update_user_pool(UserPoolId=pool_id, DeletionProtection="INACTIVE")
                self.idp.delete_user_pool(UserPoolId=pool_id)
            except ClientError:
                pass

    def create_pool(self, prefix, **kw):
        pool = self.idp.create_user_pool(PoolName=uniq(prefix), **kw)["UserPool"]
        self.created.append(pool["Id"])
        return pool

    def assertError(self, ctx, code, status=400, message_part=None):
        err = ctx.exception.response["Error"]
        self.assertEqual(err["Code"], code, err)
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], status)
        if message_part is not None:
            self.assertIn(message_part, err["Message"])

    @unittest.skipIf(*needs("CreateUserPool", "DescribeUserPool", "UpdateUserPool", "ListUserPools",
                            "TagResource", "UntagResource", "ListTagsForResource", "DeleteUserPool"))
    def test_pool_journey(self):
        pool = self.create_pool(
            "py-journey",
            Policies={"PasswordPolicy": {"MinimumLength": 10, "RequireUppercase": True, "RequireLowercase": True,
                                         "RequireNumbers": False, "RequireSymbols": False,
                                         "TemporaryPasswordValidityDays": 3}},
            AutoVerifiedAttributes=["email"],
            AliasAttributes=["email", "preferred_username"],
            Schema=[{"Name": "tenant", "AttributeDataType": "String", "Mutable": True}],
            UserPoolTags={"env": "e2e"},
        )
        self.assertRegex(pool["Id"], POOL_ID)
        self.assertEqual(pool["Arn"], f"arn:aws:cognito-idp:us-east-1:000000000000:userpool/{pool['Id']}")
        # botocore parses epoch-second timestamps into aware datetimes.
        self.assertIsInstance(pool["CreationDate"], datetime.datetime)
        now = datetime.datetime.now(datetime.timezone.utc)
        self.assertLess(abs((now - pool["CreationDate"]).total_seconds()), 300)
        self.assertEqual(pool["Policies"]["PasswordPolicy"]["MinimumLength"], 10)
        self.assertEqual(pool["AliasAttributes"], ["email", "preferred_username"])
        self.assertIn("custom:tenant", [a["Name"] for a in pool["SchemaAttributes"]])
        self.assertEqual(pool["UserPoolTags"], {"env": "e2e"})

        desc = self.idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
        self.assertEqual(desc, pool, "DescribeUserPool equals the CreateUserPool response")

        time.sleep(1.1)  # so LastModifiedDate can advance at second resolution
        self.idp.update_user_pool(
            UserPoolId=pool["Id"],
            Policies={"PasswordPolicy": {"MinimumLength": 12, "RequireNumbers": True}},
            MfaConfiguration="OFF",
        )
        upd = self.idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
        self.assertEqual(upd["Policies"]["PasswordPolicy"]["MinimumLength"], 12)
        self.assertEqual(upd["AliasAttributes"], ["email", "preferred_username"])
        self.assertEqual(upd["CreationDate"], pool["CreationDate"])
        self.assertGreater(upd["LastModifiedDate"], pool["LastModifiedDate"])

        arn = pool["Arn"]
        self.idp.tag_resource(ResourceArn=arn, Tags={"a": "1", "b": "2"})
        self.idp.untag_resource(ResourceArn=arn, TagKeys=["a", "env"])
        self.assertEqual(self.idp.list_tags_for_resource(ResourceArn=arn)["Tags"], {"b": "2"})

        listed = [p for page in self.idp.get_paginator("list_user_pools").paginate(MaxResults=60)
                  for p in page["UserPools"] if p["Id"] == pool["Id"]]
        self.assertEqual(len(listed), 1)
        self.assertEqual(listed[0]["Name"], pool["Name"])

        self.idp.delete_user_pool(UserPoolId=pool["Id"])
        with self.assertRaises(ClientError) as ctx:
            self.idp.describe_user_pool(UserPoolId=pool["Id"])
        self.assertError(ctx, "ResourceNotFoundException", message_part=pool["Id"])
        # The modeled exception class on the client matches too.
        with self.assertRaises(self.idp.exceptions.ResourceNotFoundException):
            self.idp.delete_user_pool(UserPoolId=pool["Id"])

    @unittest.skipIf(*needs("CreateUserPool"))
    def test_defaults(self):
        pool = self.create_pool("py-defaults")
        pp = pool["Policies"]["PasswordPolicy"]
        self.assertEqual(
            (pp["MinimumLength"], pp["RequireUppercase"], pp["RequireLowercase"], pp["RequireNumbers"],
             pp["RequireSymbols"], pp["TemporaryPasswordValidityDays"]),
            (8, True, True, True, True, 7))
        self.assertEqual(pool["MfaConfiguration"], "OFF")
        self.assertEqual(pool["DeletionProtection"], "INACTIVE")
        self.assertEqual(pool["EstimatedNumberOfUsers"], 0)
        self.assertFalse(pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"])
        attrs = {a["Name"]: a for a in pool["SchemaAttributes"]}
        self.assertTrue(attrs["sub"]["Required"])
        self.assertFalse(attrs["sub"]["Mutable"])
        self.assertEqual(attrs["email_verified"]["AttributeDataType"], "Boolean")
        self.assertEqual(attrs["updated_at"]["AttributeDataType"], "Number")

    @unittest.skipIf(*needs("CreateUserPool", "ListUserPools"))
    def test_list_paging(self):
        mine = {self.create_pool("py-page")["Id"] for _ in range(5)}
        seen = []
        pages = 0
        for page in self.idp.get_paginator("list_user_pools").paginate(MaxResults=2):
            pages += 1
            self.assertLessEqual(len(page["UserPools"]), 2)
            seen += [p["Id"] for p in page["UserPools"]]
        self.assertGreaterEqual(pages, 3)
        self.assertEqual(len(seen), len(set(seen)), "no pool listed twice")
        self.assertLessEqual(mine, set(seen))

    @unittest.skipIf(*needs("CreateUserPool", "DeleteUserPool", "UpdateUserPool"))
    def test_deletion_protection(self):
        pool = self.create_pool("py-protected", DeletionProtection="ACTIVE")
        with self.assertRaises(ClientError) as ctx:
            self.idp.delete_user_pool(UserPoolId=pool["Id"])
        self.assertError(ctx, "InvalidParameterException")
        self.idp.update_user_pool(UserPoolId=pool["Id"], DeletionProtection="INACTIVE")
        self.idp.delete_user_pool(UserPoolId=pool["Id"])

    @unittest.skipIf(*needs("CreateUserPool", "AddCustomAttributes", "DescribeUserPool"))
    def test_custom_attributes(self):
        pool = self.create_pool("py-custom")
        self.idp.add_custom_attributes(UserPoolId=pool["Id"], CustomAttributes=[
            {"Name": "score", "AttributeDataType": "Number",
             "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "100"}}])
        attrs = {a["Name"]: a for a in self.idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]["SchemaAttributes"]}
        self.assertEqual(attrs["custom:score"]["AttributeDataType"], "Number")
        self.assertEqual(attrs["custom:score"]["NumberAttributeConstraints"]["MaxValue"], "100")

    @unittest.skipIf(*needs("CreateUserPool", "GetSigningCertificate"))
    def test_signing_certificate(self):
        import base64
        pool = self.create_pool("py-cert")
        cert = self.idp.get_signing_certificate(UserPoolId=pool["Id"])["Certificate"]
        der = base64.b64decode(cert, validate=True)
        self.assertEqual(der[0], 0x30, "DER of an X.509 certificate starts with a SEQUENCE")


if __name__ == "__main__":
    unittest.main()
