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
