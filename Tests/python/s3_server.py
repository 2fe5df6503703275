"""An S3-compatible server for the storage tests: moto's server mode on an ephemeral port of 127.0.0.1.

Prints one JSON line once the server answers: {"endpoint", "bucket", "access_key_id", "secret_access_key",
"session"}, where "session" is null or temporary credentials {"access_key_id", "secret_access_key", "token"}.
The bucket exists already. It runs until its standard input closes, so it ends with the test process that
started it, even when that process dies.

--check-signatures turns on moto's request authentication: every S3 request must then carry a valid SigV4
Authorization header made with the printed keys (those of an IAM user created at start), and a wrong signature is
answered 403 SignatureDoesNotMatch. "session" then holds credentials of a role that user assumed through STS, which
moto accepts only with their session token in a signed x-amz-security-token header. In that mode moto cannot serve presigned URLs (it reads only the header), so
the tests that read through presigned URLs use a server started without the flag.
"""
import json
import os
import sys

CHECK_SIGNATURES = "--check-signatures" in sys.argv[1:]
if CHECK_SIGNATURES:
    # moto lets this many requests through unauthenticated: the three that create the IAM user below.
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"

import boto3  # noqa: E402  (the environment above must be set before moto is imported)
from botocore.config import Config  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

BUCKET = "spool-test"
REGION = "us-east-1"


ALLOW_ALL = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:*", "sts:AssumeRole", "iam:*"], "Resource": "*"}],
})


def create_user(endpoint):
    """An IAM user allowed every S3 action, and its access key."""
    iam = boto3.client("iam", endpoint_url=endpoint, region_name=REGION,
                       aws_access_key_id="setup", aws_secret_access_key="setup")
    iam.create_user(UserName="spool")
    iam.put_user_policy(UserName="spool", PolicyName="all", PolicyDocument=ALLOW_ALL)
    key = iam.create_access_key(UserName="spool")["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def assume_role(endpoint, access_key_id, secret):
    """Temporary credentials of a role allowed every S3 action, assumed by the user (signed requests)."""
    keys = {"endpoint_url": endpoint, "region_name": REGION, "aws_access_key_id": access_key_id,
            "aws_secret_access_key": secret}
    iam = boto3.client("iam", **keys)
    account = boto3.client("sts", **keys).get_caller_identity()["Account"]
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:user/spool"}, "Action": "sts:AssumeRole"}]})
    role = iam.create_role(RoleName="spool-writer", AssumeRolePolicyDocument=trust)["Role"]
    iam.put_role_policy(RoleName="spool-writer", PolicyName="all", PolicyDocument=ALLOW_ALL)
    session = boto3.client("sts", **keys).assume_role(RoleArn=role["Arn"], RoleSessionName="spool-test")
    credentials = session["Credentials"]
    return {"access_key_id": credentials["AccessKeyId"], "secret_access_key": credentials["SecretAccessKey"],
            "token": credentials["SessionToken"]}


def main():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    session = None
    if CHECK_SIGNATURES:
        access_key_id, secret = create_user(endpoint)
        session = assume_role(endpoint, access_key_id, secret)
    else:
        access_key_id, secret = "AKIDSPOOLTEST", "spool-test-secret"
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=access_key_id,
                      aws_secret_access_key=secret, config=Config(s3={"addressing_style": "path"}))
    s3.create_bucket(Bucket=BUCKET)
    print(json.dumps({"endpoint": endpoint, "bucket": BUCKET, "access_key_id": access_key_id,
                      "secret_access_key": secret, "session": session}), flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
