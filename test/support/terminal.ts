/**
 * QEMU run as a person runs it in a terminal (`-nographic`, `-display none -serial stdio`): its
 * stdout read as the terminal would show it, until enough was seen or a deadline. The whole
 * process group is killed afterwards.
 */
import { spawn } from 'node:child_process';

/** Terminal control sequences (SeaBIOS's screen mirror sends resets, colours, cursor moves). */
const ESCAPES = /\x1b(?:\[[0-9;?]*[A-Za-z]|[A-Za-z])/g;

/** The lines a terminal shows for `out` (escape sequences dropped, CR LF or LF ends a line). */
export function terminalLines(out: string): string[] {
  return out
    .replace(ESCAPES, '')
    .split(/\r?\n/)
    .map(l => l.replace(/\r/g, ''));
}

/**
 * Run `qemu-system-x86_64 args` with stdin closed; resolve with everything it wrote once `enough`
 * holds for the output so far (then `settleMs` more, to catch what follows) or at `timeoutMs`.
 */
export async function runInTerminal(
  args: string[],
  enough: (out: string) => boolean,
  opts: { timeoutMs: number; settleMs?: number; onStart?: (stdin: NodeJS.WritableStream) => void }
): Promise<{ out: string; done: boolean }> {
  const child = spawn('qemu-system-x86_64', args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout.setEncoding('latin1');
  child.stderr.setEncoding('latin1');
  child.stderr.on('data', (s: string) => (out += s));
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  const done = await new Promise<boolean>(resolve => {
    const deadline = setTimeout(() => resolve(false), opts.timeoutMs);
    child.stdout.on('data', (s: string) => {
      out += s;
      if (enough(out)) {
        clearTimeout(deadline);
        setTimeout(() => resolve(true), opts.settleMs ?? 500);
      }
    });
    child.once('exit', () => {
      clearTimeout(deadline);
      resolve(enough(out));
    });
    opts.onStart?.(child.stdin);
  });
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
  await exited;
  return { out, done };
}
