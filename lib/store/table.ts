/**
 * The DynamoDB table definition, shared by serverless.ts (CloudFormation) and the local
 * stack (dynalite), so both run the same keys and indexes.
 */
export const TABLE_INDEXES = ['gsi1', 'gsi2', 'gsi3'] as const;

export const tableAttributeDefinitions = [
  { AttributeName: 'pk', AttributeType: 'S' },
  { AttributeName: 'sk', AttributeType: 'S' },
  ...TABLE_INDEXES.flatMap((i) => [
    { AttributeName: `${i}pk`, AttributeType: 'S' },
    { AttributeName: `${i}sk`, AttributeType: 'S' },
  ]),
];

export const tableKeySchema = [
  { AttributeName: 'pk', KeyType: 'HASH' },
  { AttributeName: 'sk', KeyType: 'RANGE' },
];

export const tableGlobalSecondaryIndexes = TABLE_INDEXES.map((i) => ({
  IndexName: i,
  KeySchema: [
    { AttributeName: `${i}pk`, KeyType: 'HASH' },
    { AttributeName: `${i}sk`, KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'ALL' },
}));

/** Attribute that DynamoDB's TTL deletes by (epoch seconds): expired tokens, ledger entries. */
export const TTL_ATTRIBUTE = 'ttl';
