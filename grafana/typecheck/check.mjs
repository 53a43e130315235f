// Type-checks each Grafana dashboard JSON against @grafana/schema's Dashboard type.
//
//   node check.mjs <dashboards-dir>
//
// Each dashboard becomes `export const dashboard: Dashboard = <the JSON>;` in generated/, so the
// JSON is a fresh object literal and TypeScript rejects excess properties at every level, not just
// wrong types. A deliberately broken copy of the first dashboard (a misspelt panel key) must fail
// the same check, which proves the check can fail. Exit code 0 only when all of that holds.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? '../dashboards');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
if (files.length === 0) {
  console.error(`no dashboard JSON in ${dir}`);
  process.exit(1);
}

const tsconfig = {
  compilerOptions: {
    strict: true, noEmit: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler',
    skipLibCheck: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: false,
  },
};
const header = "import type { Dashboard } from '@grafana/schema';\n\nexport const dashboard: Dashboard = ";

function tsc(project) {
  try {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], { encoding: 'utf8', stdio: 'pipe' });
    return { ok: true, output: '' };
  } catch (e) {
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

function project(name, sources) {
  const out = join('generated', name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const [file, text] of Object.entries(sources)) writeFileSync(join(out, file), text);
  writeFileSync(join(out, 'tsconfig.json'), JSON.stringify({ ...tsconfig, include: ['*.ts'] }, null, 2));
  return join(out, 'tsconfig.json');
}

const sources = {};
for (const f of files) {
  const json = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  sources[basename(f, '.json') + '.ts'] = header + JSON.stringify(json, null, 2) + ';\n';
}
const real = tsc(project('dashboards', sources));
if (!real.ok) {
  console.error(real.output);
  console.error(`FAILED: ${files.join(', ')} do not type-check as @grafana/schema Dashboard`);
  process.exit(1);
}
console.log(`OK: ${files.join(', ')} type-check as @grafana/schema Dashboard (strict, excess properties rejected)`);

const broken = JSON.parse(readFileSync(join(dir, files[0]), 'utf8'));
broken.panels[0].gridPosition = broken.panels[0].gridPos;
const canary = tsc(project('canary', { 'broken.ts': header + JSON.stringify(broken) + ';\n' }));
if (canary.ok || !canary.output.includes('gridPosition')) {
  console.error(canary.output);
  console.error('FAILED: a dashboard with an unknown panel property "gridPosition" was not rejected; the check is not strict');
  process.exit(1);
}
console.log('OK: the canary with an unknown panel property was rejected');
