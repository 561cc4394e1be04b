/**
 * Creates the table and the bucket in the local emulators (dynalite, s3rver) from the same
 * definitions CloudFormation uses; idempotent. Shared by the local stack and the test services.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { tableAttributeDefinitions, tableGlobalSecondaryIndexes, tableKeySchema } from '../../lib/store/table';

/** s3rver only accepts this key pair; dynalite accepts any. */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function ensureTable(endpoint: string, table: string): Promise<void> {
  const ddb = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: EMULATOR_CREDENTIALS });
  try {
    const existing = await ddb.send(new ListTablesCommand({}));
    if (existing.TableNames?.includes(table)) return;
    await ddb.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: tableAttributeDefinitions as never,
        KeySchema: tableKeySchema as never,
        GlobalSecondaryIndexes: tableGlobalSecondaryIndexes as never,
      }),
    );
  } finally {
    ddb.destroy();
  }
}

export async function ensureBucket(endpoint: string, bucket: string): Promise<void> {
  const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: EMULATOR_CREDENTIALS });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw e;
  } finally {
    s3.destroy();
  }
}

/**
 * Whether the S3 endpoint refuses a second `PUT` with `If-None-Match: *` on an existing key, as
 * AWS S3 does (412). LanceDB relies on that to keep concurrent commits of one table from
 * overwriting each other; s3rver ignores the header. Probes a key outside every prefix Iris uses.
 */
export async function honoursConditionalPut(endpoint: string, bucket: string): Promise<boolean> {
  const { PutObjectCommand, DeleteObjectCommand } = await import('@aws-sdk/client-s3');
  const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: EMULATOR_CREDENTIALS });
  const Key = `.iris-probe/conditional-put-${process.pid}-${Date.now()}`;
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'first' }));
    try {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'second', IfNoneMatch: '*' }));
      return false;
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      return status === 412 || status === 409;
    }
  } finally {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key })).catch(() => undefined);
    s3.destroy();
  }
}
