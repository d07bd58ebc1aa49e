// bnlab-run against the PyTorch script it exports (bnlab-run --export pytorch), on the same
// configuration, one thread each (the script's --threads 1: torch.set_num_threads(1)): training
// steps per second of the default network and of the digits network (Figure 1's), probes off,
// one record at the end. Each program runs a short and a long run, and the steps between them
// over the time between them is its speed, so starting up (importing torch) is left out;
// medians over interleaved rounds. Writes its section of bench/results.md.
//
//   node bench/torch.mjs [--rounds R]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { writeSection } from './section.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 3;
const run = join(root, 'build/native/bnlab-run');
const dir = mkdtempSync(join(tmpdir(), 'bnlab-torch-bench-'));
const figure1 = JSON.parse(readFileSync(join(root, 'web/src/lessons/figure1.json'), 'utf8'));

// { name, config, steps: [short, long] for bnlab-run, [short, long] for torch }
const MODELS = [
  {
    name: 'default: 2-32×4-2 sigmoid, batch 32, plain and BN before',
    config: {},
    native: [2000, 42000],
    torch: [200, 3200],
  },
  {
    name: 'digits: 64-100×3-10 sigmoid, batch 60, plain and BN before',
    config: figure1,
    native: [200, 2200],
    torch: [50, 650],
  },
];

const seconds = (command, args) => {
  const start = process.hrtime.bigint();
  execFileSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
  return Number(process.hrtime.bigint() - start) / 1e9;
};
const speed = ([short, long], time) => (long - short) / (time(long) - time(short));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const rows = [];
for (const model of MODELS) {
  const config = { ...model.config, probes: false, recordEvery: 100000 };
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config));
  const script = join(dir, 'run.py');
  writeFileSync(script, execFileSync(run, ['--export', 'pytorch', file], { encoding: 'utf8' }));
  const native = [];
  const torch = [];
  for (let r = 0; r < ROUNDS; ++r) {
    native.push(speed(model.native, (n) => seconds(run, ['--steps', String(n), file])));
    torch.push(
      speed(model.torch, (n) => seconds('/usr/bin/python3', [script, '--steps', String(n), '--threads', '1'])),
    );
    console.error(
      `${model.name}: round ${r + 1}: bnlab-run ${native.at(-1).toFixed(0)}/s, PyTorch ${torch.at(-1).toFixed(0)}/s`,
    );
  }
  rows.push({ name: model.name, native: median(native), torch: median(torch) });
}

// Debian's package version (its torch reports itself as 1.13.0a0).
const torchVersion = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'python3-torch'], {
  encoding: 'utf8',
}).trim();
const format = (v) => Math.round(v).toLocaleString('en');
writeSection('torch', [
  '## bnlab-run against its PyTorch export (bench/torch.mjs)',
  '',
  `The same configuration, one thread each: bnlab-run (native, as built) and the script \`bnlab-run --export pytorch\` writes, run by Debian's python3-torch ${torchVersion} with \`--threads 1\`; probes off, one record at the end; a step trains both arms. ${cpus()[0].model.trim()}, ${new Date().toISOString().slice(0, 10)}, medians of ${ROUNDS} interleaved rounds, start-up left out (a short and a long run each).`,
  '',
  '| model | bnlab-run steps/s | PyTorch steps/s | bnlab-run / PyTorch |',
  '| --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.name} | ${format(r.native)} | ${format(r.torch)} | ${(r.native / r.torch).toFixed(1)}× |`),
]);
