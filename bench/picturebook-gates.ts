/**
 * Calibrates the picture-book engine's page gates (lib/search/engines/same-image.ts
 * PICTURE_BOOK: minSupport, and minEvidence, the inliers × coverage that passes a fit whose
 * support is lower) on the TUNING side of bench/books-fabric.ts only:
 *
 *   BENCH_BF_BOOK_ONLY=1 BENCH_BF_RECORDS=/tmp/book.json npx tsx bench/books-fabric.ts
 *   npx tsx bench/picturebook-gates.ts /tmp/book.json
 *
 * The records hold, for every query, the ungated fit (inliers, coverage, support) of each
 * candidate the engine verified. For each gate value the engine's answer is replayed (the
 * best-scoring candidate that passes the inlier, coverage and support-or-evidence gates) and the
 * false matches counted. The highest evidence of a wrong page is printed: the shipped minEvidence
 * keeps a margin above it and above the unit test's same-layout page (23.4). Held-out records
 * are not read.
 */
import { readFileSync } from 'node:fs';
import { PICTURE_BOOK } from '../lib/search/engines/same-image';

interface Rec {
  side: string;
  truth: string;
  verified?: Array<{ id: string; inliers: number; coverage: number; support: number }>;
}

const recs = (JSON.parse(readFileSync(process.argv[2], 'utf8')) as Rec[]).filter((r) => r.side === 'tuning');
if (recs.some((r) => !r.verified)) throw new Error('records without candidate fits: run books-fabric with BENCH_BF_RECORDS');
const o = PICTURE_BOOK;

function answer(r: Rec, minSupport: number, minEvidence: number): string | null {
  let best: string | null = null;
  let bestInliers = -1;
  for (const c of r.verified!) {
    if (c.inliers < o.minInliers || c.coverage < o.minCoverage) continue;
    if (c.support < minSupport && c.inliers * c.coverage < minEvidence) continue;
    if (c.inliers > bestInliers) [best, bestInliers] = [c.id, c.inliers];
  }
  return best;
}

function replay(minSupport: number, minEvidence: number): string {
  const members = recs.filter((r) => r.truth !== '');
  const right = members.filter((r) => answer(r, minSupport, minEvidence) === r.truth).length;
  const wrong = recs.filter((r) => {
    const a = answer(r, minSupport, minEvidence);
    return a !== null && a !== r.truth;
  }).length;
  return `${right} / ${members.length} | ${wrong} / ${recs.length}`;
}

console.log('| minSupport | minEvidence | tuning: answered right | tuning: false matches |\n| ---: | ---: | ---: | ---: |');
for (const s of [0.17, 0.15, 0.13, 0.11, 0.09, 0.07, 0.05]) console.log(`| ${s.toFixed(2)} | — | ${replay(s, Infinity)} |`);
for (const e of [20, 24, 28, 30, 32, 35, 40]) console.log(`| ${o.minSupport.toFixed(2)} | ${e} | ${replay(o.minSupport, e)} |`);
const wrongs = recs.flatMap((r) => r.verified!.filter((c) => c.id !== r.truth && c.inliers >= o.minInliers && c.coverage >= o.minCoverage));
console.log(
  `wrong candidates past the inlier and coverage gates: ${wrongs.length}; highest support ${Math.max(0, ...wrongs.map((c) => c.support)).toFixed(3)}, ` +
    `highest evidence ${Math.max(0, ...wrongs.map((c) => c.inliers * c.coverage)).toFixed(1)}; shipped: minSupport ${o.minSupport}, minEvidence ${o.minEvidence}: ${replay(o.minSupport, o.minEvidence ?? Infinity)}`,
);
