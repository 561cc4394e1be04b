/**
 * Packages the service with `osls package` (offline: scripts/package-offline.ts) and checks
 * the CloudFormation it writes, and the Lambda size limit with the native layer.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import openapi from '../../clients/iris/openapi.json';
import { functions } from '../../functions';
import { packageOffline } from '../../scripts/package-offline';

const ROOT = join(import.meta.dirname, '../..');
const OUT = join(ROOT, '.serverless');
const LAYER = join(ROOT, 'layers/native/build');
/** Lambda: function code + all layers, unzipped. */
const LAMBDA_UNZIPPED_LIMIT = 262_144_000;

let template: { Resources: Record<string, { Type: string; Properties: any; DependsOn?: unknown }>; Outputs: Record<string, unknown> };
const resources = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);

const unzippedSize = (zip: string): number => {
  const out = execFileSync('unzip', ['-Zt', zip], { encoding: 'utf8' });
  const m = out.match(/(\d+) bytes uncompressed/);
  if (!m) throw new Error(`cannot read ${zip}: ${out}`);
  return Number(m[1]);
};
const dirSize = (dir: string): number => Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);

beforeAll(async () => {
  if (!existsSync(join(LAYER, 'nodejs/node_modules'))) execFileSync('bash', [join(ROOT, 'layers/build.sh')], { stdio: 'inherit' });
  const { code, output } = await packageOffline(['--stage', 'ci'], ROOT);
  if (code !== 0) throw new Error(`osls package failed:\n${output}`);
  template = JSON.parse(readFileSync(join(OUT, 'cloudformation-template-update-stack.json'), 'utf8'));
}, 900_000);

describe('packaged CloudFormation', () => {
  it('declares one nodejs22.x Lambda per function folder', () => {
    const lambdas = resources('AWS::Lambda::Function');
    expect(lambdas).toHaveLength(functions.length);
    for (const [, fn] of lambdas) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['x86_64']);
    }
  });

  it('routes every HTTP event of every function through the HTTP API', () => {
    const routes = resources('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    const expected = functions.flatMap((f) =>
      (f.config.events ?? []).flatMap((e) => ('httpApi' in e ? [e.httpApi === '*' ? '$default' : `${e.httpApi.method} ${e.httpApi.path}`] : [])),
    );
    expect(routes.sort()).toEqual(expected.sort());
    expect(resources('AWS::ApiGatewayV2::Api')[0][1].Properties.ProtocolType).toBe('HTTP');
  });

  it('describes every packaged HTTP route in the OpenAPI document served at /openapi.json', () => {
    const routes = resources('AWS::ApiGatewayV2::Route').map(([, r]) => String(r.Properties.RouteKey)).filter((k) => k !== '$default');
    expect(routes.length).toBeGreaterThan(40);
    const paths = openapi.paths as Record<string, Record<string, unknown>>;
    const missing = routes.filter((key) => {
      const [method, path] = key.split(' ');
      return !paths[path]?.[method.toLowerCase()];
    });
    expect(missing).toEqual([]);
  });

  it('makes the data bucket private, encrypted and versioned, with the S3 triggers as declared', () => {
    const [, bucket] = resources('AWS::S3::Bucket').find(([id]) => id !== 'ServerlessDeploymentBucket')!;
    const p = bucket.Properties;
    expect(p.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    // Replaced versions are kept 30 days; hand-offs and job specs expire; stored data never does.
    const rules = p.LifecycleConfiguration.Rules as Array<Record<string, any>>;
    const whole = rules.find((r) => r.Prefix === '')!;
    expect(whole).toMatchObject({ Status: 'Enabled', NoncurrentVersionExpirationInDays: 30 });
    expect(whole.ExpirationInDays).toBeUndefined();
    expect(rules.find((r) => r.Prefix === 'ingest/')).toMatchObject({ Status: 'Enabled', ExpirationInDays: 30 });
    expect(rules.find((r) => r.Prefix === 'jobs/')).toMatchObject({ Status: 'Enabled', ExpirationInDays: 90 });
    expect(rules.filter((r) => r.ExpirationInDays !== undefined).map((r) => r.Prefix).sort()).toEqual(['ingest/', 'jobs/']);
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(p.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    const declared = functions.flatMap((f) => (f.config.events ?? []).flatMap((e) => ('s3' in e ? [{ fn: f.name, ...e.s3 }] : [])));
    const configured = p.NotificationConfiguration.LambdaConfigurations;
    expect(configured).toHaveLength(declared.length);
    for (const d of declared) {
      const match = configured.find((c: any) => c.Function['Fn::GetAtt'][0].toLowerCase() === `${d.fn}LambdaFunction`.toLowerCase());
      expect(match.Event).toBe(d.event);
      expect(match.Filter.S3Key.Rules).toEqual((d.rules ?? []).flatMap((r) => Object.entries(r).map(([Name, Value]) => ({ Name, Value }))));
    }
  });

  it('creates the table on demand with point-in-time recovery, TTL and the three indexes', () => {
    const [, table] = resources('AWS::DynamoDB::Table')[0];
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled).toBe(true);
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'ttl', Enabled: true });
    expect(table.Properties.GlobalSecondaryIndexes.map((i: any) => i.IndexName)).toEqual(['gsi1', 'gsi2', 'gsi3']);
  });

  it('gives each function its own role with no wildcard on data resources', () => {
    const lambdas = resources('AWS::Lambda::Function');
    const roleIds = new Set(lambdas.map(([, fn]) => fn.Properties.Role['Fn::GetAtt'][0]));
    expect(roleIds.size).toBe(lambdas.length);
    for (const id of roleIds) {
      const statements = template.Resources[id].Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
      for (const s of statements) {
        expect(s.Action.some((a: string) => a.includes('*'))).toBe(false);
        const res = [s.Resource].flat();
        for (const r of res) {
          if (typeof r !== 'string') continue; // table ARN via GetAtt, log group via Sub
          expect(r).not.toBe('*');
          expect(r).toMatch(/^arn:aws:s3:::[a-z0-9.-]+(\/[a-z-]+\/\*)?$/);
        }
      }
    }
  });

  it('grants object access only to the prefixes a function declares', () => {
    const health = template.Resources.HealthRole.Properties.Policies[0].PolicyDocument.Statement;
    const s3Resources = health.filter((s: any) => s.Action.some((a: string) => a.startsWith('s3:'))).flatMap((s: any) => [s.Resource].flat());
    expect(s3Resources.every((r: string) => r.endsWith('/vectors/*') || !r.includes('/'))).toBe(true);
    const token = template.Resources.AuthTokenRole.Properties.Policies[0].PolicyDocument.Statement;
    expect(token.some((s: any) => s.Action.some((a: string) => a.startsWith('s3:')))).toBe(false);
  });

  it('attaches the native layer only to functions that need it', () => {
    for (const [id, fn] of resources('AWS::Lambda::Function')) {
      const name = functions.find((f) => `${f.name[0].toUpperCase()}${f.name.slice(1)}LambdaFunction` === id)!;
      expect(Boolean(fn.Properties.Layers), id).toBe(Boolean(name.access.nativeLayer));
    }
    expect(resources('AWS::Lambda::LayerVersion')[0][1].Properties.CompatibleRuntimes).toEqual(['nodejs22.x']);
  });

  it('keeps the largest function plus the native layer under the 250 MB unzipped limit', () => {
    const sizes = functions.map((f) => ({ name: f.name, bytes: unzippedSize(join(OUT, `${f.name}.zip`)) }));
    const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const layer = dirSize(LAYER);
    console.log(`layer ${layer} B unzipped; largest function ${largest.name} ${largest.bytes} B; total ${layer + largest.bytes} of ${LAMBDA_UNZIPPED_LIMIT}`);
    expect(layer + largest.bytes).toBeLessThan(LAMBDA_UNZIPPED_LIMIT);
    expect(statSync(join(OUT, 'native.zip')).size).toBeGreaterThan(0);
  });
});

describe('the web console in the package', () => {
  it('inlines the console build (page, script, stylesheet) in the console function, with nothing fetched from the bucket', () => {
    const zip = join(OUT, 'console.zip');
    const listing = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const handler = listing.find((f) => /handler\.mjs$/.test(f))!;
    expect(handler).toBeTruthy();
    const code = execFileSync('unzip', ['-p', zip, handler], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const dist = join(ROOT, 'console/dist');
    // The build's files, byte for byte, as string literals of the bundle (JSON-escaped by esbuild
    // in some form: compare a distinctive slice of each that needs no escaping).
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    expect(code).toContain('<div id="app"></div>');
    expect(html).toContain('<div id="app"></div>');
    for (const f of ['app.js', 'app.css']) {
      const text = readFileSync(join(dist, f), 'utf8');
      const probe = text.slice(Math.floor(text.length / 2)).match(/[A-Za-z0-9_ .,:;(){}=#-]{40,}/)?.[0];
      expect(probe, f).toBeTruthy();
      expect(code.includes(probe!), f).toBe(true);
    }
  });
});
