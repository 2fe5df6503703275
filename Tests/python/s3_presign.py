"""botocore's presigned GET URLs for fixed inputs, to compare Spool's SigV4 query signer with, byte for byte.

Reads a JSON array from the first argument, each case an object with endpoint, bucket, key, region, access_key_id,
secret_access_key, session_token (or null), path_style, timestamp (seconds since 1970, UTC) and expires (seconds);
prints one URL per line, in the order of the cases.
"""
import datetime
import json
import sys
from unittest import mock

import botocore.auth
import botocore.session
from botocore.config import Config


def presign(case):
    session = botocore.session.get_session()
    client = session.create_client(
        "s3", endpoint_url=case["endpoint"], region_name=case["region"],
        aws_access_key_id=case["access_key_id"], aws_secret_access_key=case["secret_access_key"],
        aws_session_token=case["session_token"],
        config=Config(signature_version="s3v4",
                      s3={"addressing_style": "path" if case["path_style"] else "virtual"}))
    now = datetime.datetime.fromtimestamp(int(case["timestamp"]), datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=now):
        return client.generate_presigned_url(
            "get_object", Params={"Bucket": case["bucket"], "Key": case["key"]}, ExpiresIn=int(case["expires"]))


if __name__ == "__main__":
    for case in json.loads(sys.argv[1]):
        print(presign(case))
