// The AWS SDK for JavaScript v3 serving the Go real-client matrix's
// operations.
//
// Reads one JSON array a line on stdin, [OP, ARGS...] (see ops below), and
// answers each with one JSON line on stdout: {"ok": true, "result": ...} or
// {"ok": false, "error": "Name: message"} carrying the SDK's error. One
// process serves a whole test, so Node.js and the SDK load once.
// Environment: MOCKS3_JS_SDK (a directory whose node_modules holds
// @aws-sdk/client-s3 and @aws-sdk/s3-request-presigner), MX_ENDPOINT,
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const sdkRequire = require("node:module").createRequire(path.join(process.env.MOCKS3_JS_SDK, "package.json"));
const s3 = sdkRequire("@aws-sdk/client-s3");
const { getSignedUrl } = sdkRequire("@aws-sdk/s3-request-presigner");

const client = new s3.S3Client({
  endpoint: process.env.MX_ENDPOINT,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
  maxAttempts: 1,
});
const send = (cmd, input) => client.send(new s3[cmd + "Command"](input));
const partSize = 5 << 20;

const ops = {
  mb: (Bucket) => send("CreateBucket", { Bucket }),
  // The SDK's own multipart calls (lib-storage's Upload is a separate
  // package): one PutObject up to 8 MiB, 5 MiB parts above, as lib-storage does.
  put: async (Bucket, Key, file) => {
    const data = fs.readFileSync(file);
    if (data.length <= 8 << 20) return void (await send("PutObject", { Bucket, Key, Body: data }));
    const { UploadId } = await send("CreateMultipartUpload", { Bucket, Key });
    const Parts = [];
    for (let off = 0, n = 1; off < data.length; off += partSize, n++) {
      const r = await send("UploadPart", { Bucket, Key, UploadId, PartNumber: n, Body: data.subarray(off, off + partSize) });
      Parts.push({ PartNumber: n, ETag: r.ETag, ChecksumCRC32: r.ChecksumCRC32 });
    }
    await send("CompleteMultipartUpload", { Bucket, Key, UploadId, MultipartUpload: { Parts } });
  },
  get: async (Bucket, Key, file) => {
    const r = await send("GetObject", { Bucket, Key });
    fs.writeFileSync(file, await r.Body.transformToByteArray());
  },
  ls: async (Bucket) => {
    const keys = [];
    let ContinuationToken;
    do {
      const r = await send("ListObjectsV2", { Bucket, ContinuationToken });
      keys.push(...(r.Contents || []).map((o) => o.Key));
      ContinuationToken = r.NextContinuationToken;
    } while (ContinuationToken);
    return keys;
  },
  cp: (Bucket, src, Key) => send("CopyObject", { Bucket, Key, CopySource: `${Bucket}/${src}` }),
  presign: (Bucket, Key) => getSignedUrl(client, new s3.GetObjectCommand({ Bucket, Key }), { expiresIn: 600 }),
  versioning: async (Bucket) => {
    await send("PutBucketVersioning", { Bucket, VersioningConfiguration: { Status: "Enabled" } });
    return (await send("GetBucketVersioning", { Bucket })).Status;
  },
  versions: async (Bucket) => {
    const r = await send("ListObjectVersions", { Bucket });
    return [
      ...(r.Versions || []).map((v) => ({ key: v.Key, id: v.VersionId, marker: false })),
      ...(r.DeleteMarkers || []).map((m) => ({ key: m.Key, id: m.VersionId, marker: true })),
    ];
  },
  rm: (Bucket, Key) => send("DeleteObject", { Bucket, Key }),
  puttags: (Bucket, Key, ...pairs) =>
    send("PutObjectTagging", {
      Bucket,
      Key,
      Tagging: { TagSet: pairs.map((p) => ({ Key: p.split("=")[0], Value: p.slice(p.indexOf("=") + 1) })) },
    }),
  gettags: async (Bucket, Key) =>
    Object.fromEntries((await send("GetObjectTagging", { Bucket, Key })).TagSet.map((t) => [t.Key, t.Value])),
  delobjs: async (Bucket, ...keys) => {
    const r = await send("DeleteObjects", { Bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } });
    if (r.Errors && r.Errors.length) throw new Error(JSON.stringify(r.Errors));
    return (r.Deleted || []).map((d) => d.Key).sort();
  },
  rb: async (Bucket) => {
    const r = await send("ListObjectVersions", { Bucket });
    const Objects = [...(r.Versions || []), ...(r.DeleteMarkers || [])].map((v) => ({ Key: v.Key, VersionId: v.VersionId }));
    if (Objects.length) await send("DeleteObjects", { Bucket, Delete: { Objects } });
    await send("DeleteBucket", { Bucket });
  },
};

(async () => {
  const lines = require("node:readline").createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [op, ...args] = JSON.parse(line);
    let out;
    try {
      const result = await ops[op](...args);
      out = { ok: true, result: result === undefined ? null : result };
    } catch (e) {
      out = { ok: false, error: `${e.name}: ${e.message}` };
    }
    process.stdout.write(JSON.stringify(out) + "\n");
  }
})();
