"""App-client journey as boto3 sees it."""

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


class ClientTests(unittest.TestCase):
    def setUp(self):
        self.idp = cogito.client()
        self.pools = []

    def tearDown(self):
        for pool_id in self.pools:
            try:
                self.idp.delete_user_pool(UserPoolId=pool_id)
            except ClientError:
                pass

    def pool(self):
        pool_id = self.idp.create_user_pool(PoolName=uniq("py-clients"))["UserPool"]["Id"]
        self.pools.append(pool_id)
        return pool_id

    @unittest.skipIf(*needs("CreateUserPool", "CreateUserPoolClient", "DescribeUserPoolClient",
                            "UpdateUserPoolClient", "ListUserPoolClients", "DeleteUserPoolClient"))
    def test_client_journey(self):
        pool_id = self.pool()
        cl = self.idp.create_user_pool_client(
            UserPoolId=pool_id, ClientName="py-web",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]
        self.assertRegex(cl["ClientId"], re.compile(r"^[\w+]+$"))
        self.assertEqual(cl["UserPoolId"], pool_id)
        self.assertNotIn("ClientSecret", cl)
        self.assertEqual(cl["RefreshTokenValidity"], 30)
        self.assertTrue(cl["EnableTokenRevocation"])
        self.assertIsInstance(cl["CreationDate"], datetime.datetime)
        desc = self.idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=cl["ClientId"])["UserPoolClient"]
        self.assertEqual(desc, cl)

        time.sleep(1.1)
        self.idp.update_user_pool_client(
            UserPoolId=pool_id, ClientId=cl["ClientId"], ClientName="py-web-2",
            ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            IdTokenValidity=2, TokenValidityUnits={"IdToken": "hours"},
        )
        upd = self.idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=cl["ClientId"])["UserPoolClient"]
        self.assertEqual(upd["ClientName"], "py-web-2")
        self.assertEqual(upd["ExplicitAuthFlows"], ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
        self.assertEqual(upd["IdTokenValidity"], 2)
        self.assertGreater(upd["LastModifiedDate"], cl["LastModifiedDate"])

        others = [self.idp.create_user_pool_client(UserPoolId=pool_id, ClientName=f"c{i}")["UserPoolClient"]["ClientId"]
                  for i in range(3)]
        pages = list(self.idp.get_paginator("list_user_pool_clients").paginate(
            UserPoolId=pool_id, PaginationConfig={"PageSize": 2}))
        listed = [c["ClientId"] for p in pages for c in p["UserPoolClients"]]
        self.assertTrue(all(len(p["UserPoolClients"]) <= 2 for p in pages))
        self.assertEqual(sorted(listed), sorted(others + [cl["ClientId"]]))

        self.idp.delete_user_pool_client(UserPoolId=pool_id, ClientId=cl["ClientId"])
        with self.assertRaises(ClientError) as ctx:
            self.idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=cl["ClientId"])
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ResourceNotFoundException")
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    @unittest.skipIf(*needs("CreateUserPool", "CreateUserPoolClient", "DescribeUserPoolClient",
                            "AddUserPoolClientSecret", "ListUserPoolClientSecrets", "DeleteUserPoolClientSecret"))
    def test_secrets(self):
        pool_id = self.pool()
        cl = self.idp.create_user_pool_client(UserPoolId=pool_id, ClientName="py-server", GenerateSecret=True)["UserPoolClient"]
        self.assertTrue(24 <= len(cl["ClientSecret"]) <= 64)
        desc = self.idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=cl["ClientId"])["UserPoolClient"]
        self.assertEqual(desc["ClientSecret"], cl["ClientSecret"])

        first = self.idp.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=cl["ClientId"])["ClientSecrets"]
        self.assertEqual(len(first), 1)
        self.assertNotIn("ClientSecretValue", first[0])
        self.assertTrue(first[0]["ClientSecretId"].startswith(cl["ClientId"] + "--"))
        time.sleep(1.1)
        added = self.idp.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=cl["ClientId"])["ClientSecretDescriptor"]
        self.assertGreaterEqual(len(added["ClientSecretValue"]), 24)
        secrets = self.idp.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=cl["ClientId"])["ClientSecrets"]
        self.assertEqual(len(secrets), 2)
        self.idp.delete_user_pool_client_secret(UserPoolId=pool_id, ClientId=cl["ClientId"],
                                                ClientSecretId=first[0]["ClientSecretId"])
        with self.assertRaises(ClientError) as ctx:
            self.idp.delete_user_pool_client_secret(UserPoolId=pool_id, ClientId=cl["ClientId"],
                                                    ClientSecretId=added["ClientSecretId"])
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400,
                         "the last secret cannot be deleted")

    @unittest.skipIf(*needs("CreateUserPool", "CreateUserPoolClient", "DescribeUserPoolClient"))
    def test_client_errors(self):
        with self.assertRaises(self.idp.exceptions.ResourceNotFoundException):
            self.idp.create_user_pool_client(UserPoolId="us-east-1_NoSuchPool1", ClientName="x")
        pool_id = self.pool()
        with self.assertRaises(ClientError) as ctx:
            self.idp.describe_user_pool_client(UserPoolId=pool_id, ClientId="nosuchclient0123456789abcd")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ResourceNotFoundException")
        with self.assertRaises(ClientError) as ctx:
            self.idp.create_user_pool_client(UserPoolId=pool_id, ClientName="both", GenerateSecret=True,
                                             ClientSecret="CustomSecretValue1234567890abcdefXYZ")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "InvalidParameterException")


if __name__ == "__main__":
    unittest.main()
