/** The CLI's main() in this process, its output captured (no terminal unless `isTTY`). */
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function cli(
  argv: string[],
  o: { env?: NodeJS.ProcessEnv; isTTY?: boolean } = {}
): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    stdout: s => void (out += s),
    stderr: s => void (err += s),
    env: o.env ?? {},
    isTTY: o.isTTY ?? false
  });
  return { code, out, err };
}
