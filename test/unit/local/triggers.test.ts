/** The local stack delivers S3 events with AWS's notification filter rules. */
import { describe, expect, it } from 'vitest';
import { matchesTrigger } from '../../../scripts/local/stack';
import { functions } from '../../../functions';
import { familyOf as familyIn, routeFamilies } from '../../../lib/http/routes';

const table = routeFamilies(functions.map((f) => f.operation));
const familyOf = (path: string) => familyIn(path, table);

describe('matchesTrigger', () => {
  const trigger = { bucket: 'objects', event: 's3:ObjectCreated:*', rules: [{ prefix: 'ingest/' }, { suffix: '.jpg' }] };

  it('matches created objects whose key has the prefix and the suffix', () => {
    expect(matchesTrigger(trigger, 'ObjectCreated:Put', 'ingest/p/x/a.jpg')).toBe(true);
    expect(matchesTrigger(trigger, 'ObjectCreated:Copy', 'ingest/p/x/a.jpg')).toBe(true);
  });

  it('ignores other prefixes, other suffixes and removals', () => {
    expect(matchesTrigger(trigger, 'ObjectCreated:Put', 'data/p/a.jpg')).toBe(false);
    expect(matchesTrigger(trigger, 'ObjectCreated:Put', 'ingest/p/a.png')).toBe(false);
    expect(matchesTrigger(trigger, 'ObjectRemoved:Delete', 'ingest/p/x/a.jpg')).toBe(false);
  });

  it('matches an exact event name only when no wildcard is given', () => {
    const put = { bucket: 'objects', event: 's3:ObjectCreated:Put' };
    expect(matchesTrigger(put, 'ObjectCreated:Put', 'k')).toBe(true);
    expect(matchesTrigger(put, 'ObjectCreated:Post', 'k')).toBe(false);
  });
});

describe('familyOf (unknown routes)', () => {
  it('answers each API family in its own dialect', () => {
    expect(familyOf('/rest/2.0/realtime_search/same_hq/nope')).toBe('baidu');
    expect(familyOf('/v2/abc/face-sets/x/unknown')).toBe('frs');
    expect(familyOf('/v2/abc/datasets/x/unknown')).toBe('modelarts');
    expect(familyOf('/oauth/2.0/x')).toBe('oauth');
    expect(familyOf('/nothing')).toBe('plain');
  });
});

describe('childPort', () => {
  it("chooses a free port outside Linux's ephemeral range (32768–60999), where listen(0) and outgoing connections take theirs", async () => {
    const { childPort } = await import('../../../scripts/local/stack');
    const { createServer } = await import('node:net');
    for (let i = 0; i < 5; i++) {
      const port = await childPort();
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(32_768);
      const srv = createServer();
      await new Promise<void>((res, rej) => {
        srv.once('error', rej);
        srv.listen(port, '127.0.0.1', () => res());
      });
      await new Promise<void>((res) => srv.close(() => res()));
    }
  });
});
