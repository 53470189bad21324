/** Run a bundled action (dist/index.js, dist/verify/index.js) as the runner does. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** workflow commands printed, e.g. [['error', 'title=...', 'message']] */
  commands: { command: string; props: string; message: string }[];
}

/** GITHUB_OUTPUT as @actions/core writes it: `name<<DELIM\nvalue\nDELIM`. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!m) continue;
    const value: string[] = [];
    i++;
    while (i < lines.length && lines[i] !== m[2]) value.push(lines[i++]);
    out[m[1]] = value.join('\n');
  }
  return out;
}

/** The environment a runner gives a step, nothing inherited but PATH/HOME/TMPDIR. */
export function baseEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT', 'TEMP', 'TMP'];
  const env: NodeJS.ProcessEnv = {};
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
  return env;
}

/** A push or pull-request run of acme/installer as a runner describes it (no service: `service` {}). */
export function runnerEnv(o: {
  runId: string;
  ref: string;
  workspace: string;
  runnerTemp: string;
  eventPath: string;
  service: NodeJS.ProcessEnv;
}): NodeJS.ProcessEnv {
  return {
    ...baseEnv(),
    ...o.service,
    GITHUB_WORKSPACE: o.workspace,
    RUNNER_TEMP: o.runnerTemp,
    GITHUB_EVENT_PATH: o.eventPath,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/installer',
    GITHUB_RUN_ID: o.runId,
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_REF: o.ref,
    GITHUB_REF_NAME: o.ref.replace(/^refs\/(heads|tags)\//, ''),
    SOURCE_DATE_EPOCH: '1700000000'
  };
}

/**
 * Asynchronous on purpose: the loopback fake runs in the test's own process, so a synchronous
 * spawn would block the very server the action is talking to.
 */
export async function runAction(
  bundle: string,
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv,
  cwd: string,
  timeout = 300_000
): Promise<ActionRun> {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run bundle`);
  const io = mkdtempSync(path.join(cwd, '.runner-io-'));
  const outFile = path.join(io, 'output');
  const summaryFile = path.join(io, 'summary');
  writeFileSync(outFile, '');
  writeFileSync(summaryFile, '');
  const inputEnv: NodeJS.ProcessEnv = {};
  // the runner: INPUT_<NAME upper-cased, spaces to _>; hyphens stay
  for (const [k, v] of Object.entries(inputs)) inputEnv[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  try {
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(process.execPath, [path.resolve(bundle)], {
          cwd,
          env: { ...env, ...inputEnv, GITHUB_OUTPUT: outFile, GITHUB_STEP_SUMMARY: summaryFile },
          stdio: ['ignore', 'pipe', 'pipe']
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
        child.on('error', reject);
        child.on('close', status => {
          clearTimeout(timer);
          resolve({ status, stdout, stderr });
        });
      }
    );
    const commands = [...r.stdout.matchAll(/^::([a-z-]+)( [^:]*)?::(.*)$/gm)].map(m => ({
      command: m[1],
      props: (m[2] ?? '').trim(),
      message: m[3].replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
    }));
    return {
      code: r.status,
      stdout: r.stdout,
      stderr: r.stderr,
      outputs: parseOutputFile(readFileSync(outFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8'),
      commands
    };
  } finally {
    rmSync(io, { recursive: true, force: true });
  }
}
