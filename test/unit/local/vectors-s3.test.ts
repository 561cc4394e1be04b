/**
 * Local `IRIS_VECTORS=s3://…`: LanceDB keeps concurrent commits of one table apart only on an S3
 * that refuses a second `PUT If-None-Match: *` of a key; s3rver does not, so the local stack
 * refuses that combination at start (before serverless-offline is started) with a clear message.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import S3rver from 's3rver';
import type { AddressInfo } from 'node:net';
import { ensureBucket, honoursConditionalPut } from '../../../scripts/local/emulators';
import { startLocalStack } from '../../../scripts/local/stack';

const saved = process.env.IRIS_VECTORS;
afterEach(() => {
  if (saved === undefined) delete process.env.IRIS_VECTORS;
  else process.env.IRIS_VECTORS = saved;
});

describe('local vectors on S3', () => {
  it('s3rver ignores If-None-Match (the probe sees it)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iris-probe-'));
    const s3 = new S3rver({ port: 0, address: '127.0.0.1', directory: dir, silent: true, allowMismatchedSignatures: true });
    const { port } = (await s3.run()) as AddressInfo;
    try {
      await ensureBucket(`http://127.0.0.1:${port}`, 'probe');
      expect(await honoursConditionalPut(`http://127.0.0.1:${port}`, 'probe')).toBe(false);
    } finally {
      await s3.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start the stack with IRIS_VECTORS=s3://… and says why, leaving nothing running', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'iris-vectors-s3-'));
    process.env.IRIS_VECTORS = 's3://iris-local-objects/vectors';
    try {
      await expect(startLocalStack({ port: 0, dataDir, log: () => undefined })).rejects.toThrow(/IRIS_VECTORS=s3:\/\/iris-local-objects\/vectors is not supported.*If-None-Match.*acknowledged writes would be lost/s);
      expect(existsSync(join(dataDir, 'stack.json'))).toBe(false);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
