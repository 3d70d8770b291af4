"""boto3 serving the Go real-client matrix's operations.

Reads one JSON array a line on stdin, [OP, ARGS...] (see OPS below), and
answers each with one JSON line on stdout: {"ok": true, "result": ...} or
{"ok": false, "error": "..."} carrying the client's error. One process
serves a whole test, so Python and boto3 load once.
Environment: MX_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, and
MX_SIGV4=1 to configure signature_version='s3v4' (presigned URLs included);
otherwise boto3's defaults.
"""
import json
import os
import sys

import boto3
from botocore.config import Config


def client():
    kw = {"s3": {"addressing_style": "path"}}
    if os.environ.get("MX_SIGV4") == "1":
        kw["signature_version"] = "s3v4"
    return boto3.client(
        "s3",
        endpoint_url=os.environ["MX_ENDPOINT"],
        region_name="us-east-1",
        config=Config(**kw),
    )


def mb(c, bucket):
    c.create_bucket(Bucket=bucket)


def put(c, bucket, key, path):
    # upload_file is boto3's managed transfer: multipart from 8 MiB.
    c.upload_file(path, bucket, key)


def get(c, bucket, key, path):
    c.download_file(bucket, key, path)


def ls(c, bucket):
    keys = []
    for page in c.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys += [o["Key"] for o in page.get("Contents", [])]
    return keys


def cp(c, bucket, src, dst):
    c.copy_object(Bucket=bucket, Key=dst, CopySource={"Bucket": bucket, "Key": src})


def presign(c, bucket, key):
    return c.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=600)


def versioning(c, bucket):
    c.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    return c.get_bucket_versioning(Bucket=bucket).get("Status", "")


def versions(c, bucket):
    out = []
    for page in c.get_paginator("list_object_versions").paginate(Bucket=bucket):
        out += [{"key": v["Key"], "id": v["VersionId"], "marker": False} for v in page.get("Versions", [])]
        out += [{"key": m["Key"], "id": m["VersionId"], "marker": True} for m in page.get("DeleteMarkers", [])]
    return out


def rm(c, bucket, key):
    c.delete_object(Bucket=bucket, Key=key)


def puttags(c, bucket, key, *pairs):
    tags = [{"Key": k, "Value": v} for k, v in (p.split("=", 1) for p in pairs)]
    c.put_object_tagging(Bucket=bucket, Key=key, Tagging={"TagSet": tags})


def gettags(c, bucket, key):
    return {t["Key"]: t["Value"] for t in c.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]}


def delobjs(c, bucket, *keys):
    r = c.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys]})
    if r.get("Errors"):
        raise RuntimeError(json.dumps(r["Errors"]))
    return sorted(d["Key"] for d in r.get("Deleted", []))


def rb(c, bucket):
    # Empty the bucket, every version and delete marker included, then remove it.
    b = boto3.resource(
        "s3", endpoint_url=c.meta.endpoint_url, region_name="us-east-1", config=c.meta.config
    ).Bucket(bucket)
    b.object_versions.delete()
    b.delete()


OPS = {f.__name__: f for f in (mb, put, get, ls, cp, presign, versioning, versions, rm, puttags, gettags, delobjs, rb)}

if __name__ == "__main__":
    c = client()
    for line in sys.stdin:
        op, *args = json.loads(line)
        try:
            out = {"ok": True, "result": OPS[op](c, *args)}
        except Exception as e:  # the client's error goes back to the test
            out = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()
