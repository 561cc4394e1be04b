/** Writes (or replaces) one `## heading` section of BENCHMARKS.md, leaving the others as they are. */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeBenchmarkSection(heading: string, lines: string[], file = 'BENCHMARKS.md'): string {
  const text = readFileSync(file, 'utf8');
  const section = lines.join('\n').trimEnd();
  const start = text.indexOf(heading);
  const next = start >= 0 ? text.indexOf('\n## ', start + 5) : -1;
  const updated = start < 0 ? `${text.trimEnd()}\n\n${section}` : `${text.slice(0, start)}${section}${next >= 0 ? `\n${text.slice(next)}` : ''}`;
  writeFileSync(file, updated.endsWith('\n') ? updated : `${updated}\n`);
  return section;
}

/** The lines of one `## heading` section of BENCHMARKS.md as it stands (none when it is absent). */
export function sectionLines(heading: string, file = 'BENCHMARKS.md'): string[] {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(heading);
  if (start < 0) return [];
  const next = text.indexOf('\n## ', start + 5);
  return text.slice(start, next >= 0 ? next : undefined).split('\n');
}

/** Bytes of every file under a folder (a table's size on disk). */
export function dirBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}
