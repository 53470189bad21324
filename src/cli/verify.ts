/** `isoforge verify --image IMAGE [checks]`: run the checks, print a table, exit 0 only when all pass. */
import { optionsFor, resolveOptions } from '../options.js';
import { runVerify, toVerifyConfig, type VerifyReport } from '../read/verify.js';
import { jsonText, safeLine, safeLines } from '../text.js';
import { parseArgs, unexpectedArgument } from './args.js';
import { commandHelp } from './help.js';
import { stderrLogger, type CliIo } from './io.js';

export function formatReport(r: VerifyReport): string {
  // details quote image text through shown() already; safeLine is the net that keeps one row each
  const w = Math.max(5, ...r.checks.map(c => c.name.length));
  const lines = [`${'check'.padEnd(w)}  result  detail`];
  for (const c of r.checks)
    lines.push(`${safeLine(c.name).padEnd(w)}  ${c.ok ? 'pass' : 'FAIL'}    ${safeLine(c.detail)}`);
  for (const s of r.serialLogs) {
    const failed = r.checks.some(c => c.name === s.name && !c.ok);
    if (!failed) continue;
    lines.push(
      '',
      `${safeLine(s.name)}: serial console (last lines)${s.path ? `, full log ${safeLine(s.path)}` : ''}:`
    );
    lines.push(...(s.tail ? safeLines(s.tail).map(l => `  | ${l}`) : ['  | (nothing)']));
  }
  lines.push('', `verify: ${r.ok ? 'PASS' : 'FAIL'} ${safeLine(r.image)}`);
  return lines.join('\n') + '\n';
}

export async function verifyCommand(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(commandHelp('verify') + '\n');
    return 0;
  }
  const specs = optionsFor('verify', 'cli');
  const args = parseArgs(argv, specs, true);
  if (args.positional.length > 1 || (args.positional.length === 1 && args.raw.has('image'))) {
    throw unexpectedArgument(args.positional.at(-1));
  }
  if (args.positional.length === 1) args.raw.set('image', args.positional[0]);
  const config = toVerifyConfig(resolveOptions(specs, args.raw, io.env));
  const log = stderrLogger(io, true, args.debug);
  log.debug(`start-up: ${(process.uptime() * 1000).toFixed(0)} ms (Node and isoforge loaded)`);
  const report = await runVerify(config, { log, signal: io.signal });
  if (args.json) io.stdout(jsonText(report) + '\n');
  else io.stdout(formatReport(report));
  const failed = report.checks.find(c => !c.ok);
  if (failed) io.stderr(`isoforge: verify failed: ${safeLine(`${failed.name}: ${failed.detail}`)}\n`);
  return report.ok ? 0 : 1;
}
