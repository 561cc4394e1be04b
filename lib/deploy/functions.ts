/**
 * From the declared operations (functions/index.ts) to what serverless.ts deploys: each
 * function's config (handler path from its folder, events from its routes, trigger or
 * schedule) and its least-privilege IAM role.
 */
import { routesOf, type Operation } from '../http/operation';
import { ROUTE_FAMILIES_ENV, routeFamilies } from '../http/routes';
import { buildRole, roleLogicalId } from './iam';
import type { FunctionConfig, IrisFunction } from './types';

/** The bucket's logical name in `provider.s3` (serverless.ts). */
export const BUCKET_KEY = 'objects';

function events(op: Operation): NonNullable<FunctionConfig['events']> {
  switch (op.kind) {
    case 'http':
      return routesOf(op).map(({ method, path }) => ({ httpApi: { method, path } }));
    case 'fallback':
      return [{ httpApi: '*' }];
    case 's3': {
      const rules = [{ prefix: op.objects.prefix }, ...(op.objects.suffix ? [{ suffix: op.objects.suffix }] : [])];
      return [{ s3: { bucket: BUCKET_KEY, event: op.objects.event ?? 's3:ObjectCreated:*', rules } }];
    }
    case 'schedule':
      return [{ schedule: op.schedule }];
  }
}

/**
 * The functions of the bundle, from `{ folder: declaration }`. The folder (relative to
 * functions/) gives the Lambda entry, `functions/<folder>/handler.main`; nothing is typed twice.
 */
export function catalog(declared: Record<string, Operation>): IrisFunction[] {
  const list = Object.entries(declared).map(([folder, operation]): IrisFunction => ({
    name: operation.name,
    folder,
    operation,
    access: operation.access,
    config: {
      handler: `functions/${folder}/handler.main`,
      description: operation.description,
      events: events(operation),
      ...(operation.memory ? { memorySize: operation.memory } : {}),
      ...(operation.timeout ? { timeout: operation.timeout } : {}),
    },
  }));
  const seen = new Set<string>();
  for (const f of list) {
    if (seen.has(f.name)) throw new Error(`two operations are named ${f.name}`);
    seen.add(f.name);
  }
  const table = routeFamilies(list.map((f) => f.operation));
  // The `$default` route answers in the family of the path: it gets the table, not the code of every operation.
  for (const f of list) if (f.operation.kind === 'fallback') f.config.environment = { [ROUTE_FAMILIES_ENV]: JSON.stringify(table) };
  return list;
}

/** serverless.ts `functions` and the roles to add to `resources` (one per function). */
export function serverlessFunctions(
  functions: readonly IrisFunction[],
  ctx: { service: string; stage: string; bucketName: string; tableLogicalId: string; nativeLayerRef: unknown },
): { functions: Record<string, unknown>; roles: Record<string, unknown> } {
  const roles: Record<string, unknown> = {};
  const out: Record<string, unknown> = {};
  for (const fn of functions) {
    const lambdaName = `${ctx.service}-${ctx.stage}-${fn.name}`;
    roles[roleLogicalId(fn.name)] = buildRole({ functionName: fn.name, lambdaName, bucketName: ctx.bucketName, tableLogicalId: ctx.tableLogicalId, access: fn.access });
    out[fn.name] = {
      ...fn.config,
      role: roleLogicalId(fn.name),
      ...(fn.access.nativeLayer ? { layers: [ctx.nativeLayerRef] } : {}),
    };
  }
  return { functions: out, roles };
}
