/**
 * Builds one least-privilege IAM role per function from its declared `Access`:
 * object actions scoped to the declared prefixes, table actions to the table and its indexes,
 * logs to the function's own log group. No `*` on any data resource.
 */
import type { Access } from './types';
import { PREFIX } from './types';

type Statement = { Effect: 'Allow'; Action: string[]; Resource: unknown; Condition?: unknown };

const OBJECT_ACTIONS: Record<string, string[]> = {
  read: ['s3:GetObject'],
  write: ['s3:PutObject'],
  delete: ['s3:DeleteObject'],
};

export function roleLogicalId(functionName: string): string {
  return `${functionName[0].toUpperCase()}${functionName.slice(1)}Role`;
}

export function buildRole(opts: {
  functionName: string;
  lambdaName: string;
  bucketName: string;
  tableLogicalId: string;
  access: Access;
}): Record<string, unknown> {
  const { access, bucketName } = opts;
  const bucketArn = `arn:aws:s3:::${bucketName}`;
  const statements: Statement[] = [
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${opts.lambdaName}:*` },
    },
  ];

  const objectGrants = [...(access.objects ?? [])];
  if (access.vectors?.length) {
    const actions: Array<'read' | 'write' | 'delete' | 'list'> = ['read', 'list'];
    if (access.vectors.includes('write')) actions.push('write', 'delete');
    objectGrants.push({ prefix: PREFIX.vectors, actions });
  }
  for (const grant of objectGrants) {
    const actions = grant.actions.flatMap((a) => OBJECT_ACTIONS[a] ?? []);
    if (actions.length) statements.push({ Effect: 'Allow', Action: actions, Resource: `${bucketArn}/${grant.prefix}*` });
    if (grant.actions.includes('list')) {
      statements.push({ Effect: 'Allow', Action: ['s3:ListBucket'], Resource: bucketArn, Condition: { StringLike: { 's3:prefix': [`${grant.prefix}*`] } } });
    }
  }

  const table = { 'Fn::GetAtt': [opts.tableLogicalId, 'Arn'] };
  const indexes = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [opts.tableLogicalId, 'Arn'] }, '/index/*']] };
  const tableActions: string[] = [];
  if (access.table?.includes('read')) tableActions.push('dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem');
  if (access.table?.includes('write')) tableActions.push('dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem');
  if (access.table?.includes('describe')) tableActions.push('dynamodb:DescribeTable');
  if (tableActions.length) statements.push({ Effect: 'Allow', Action: tableActions, Resource: [table, indexes] });

  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
      },
      Policies: [{ PolicyName: `${opts.functionName}-access`, PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
    },
  };
}
