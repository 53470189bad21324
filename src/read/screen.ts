/**
 * The text SeaBIOS's screen mirror (src/sercon.c) sends, turned back into the lines a person saw.
 * The mirror writes characters lazily and moves the terminal's cursor with `ESC [ row ; col H`
 * when its idea of the cursor and the VGA BIOS's differ — also in the middle of a word, when a
 * timer tick flushes a character before the VGA BIOS has moved the cursor past it (a move back
 * onto the character, then forward again). So a cursor move within the current row only moves
 * the column (later characters overwrite), and only a move to another row starts a new line.
 */

/** Text rows of the mirrored screen (BIOS mode 3: 80 x 25); the bottom row scrolls. */
const ROWS = 25;

/** ESC c (reset), CSI sequences (ESC [ params letter), CR, LF, runs of plain text. */
const TOKENS = /\x1bc|\x1b\[([0-9;?]*)([A-Za-z])|\r|\n|[^\x1b\r\n]+|\x1b/g;

export function screenText(raw: string): string {
  const lines: string[] = [];
  let line: string[] = [];
  let row = 0;
  let col = 0;
  const endLine = () => {
    lines.push(line.join('').trimEnd());
    line = [];
  };
  for (const m of raw.matchAll(TOKENS)) {
    const [tok, params, op] = m;
    if (tok === '\x1bc' || (op === 'J' && params === '2')) {
      // reset or clear screen: what follows starts on a fresh line, top left
      if (line.length) endLine();
      row = 0;
      col = 0;
    } else if (op === 'H' || op === 'f') {
      const [r = 1, c = 1] = params.split(';').map(p => Number(p) || 1);
      if (r - 1 !== row) endLine();
      row = r - 1;
      col = c - 1;
    } else if (op !== undefined || tok === '\x1b') {
      // colours, line wrap and the rest change nothing of the text
    } else if (tok === '\r') {
      col = 0;
    } else if (tok === '\n') {
      endLine();
      row = Math.min(row + 1, ROWS - 1);
    } else {
      for (const ch of tok) {
        while (line.length < col) line.push(' ');
        line[col++] = ch;
      }
    }
  }
  if (line.length) endLine();
  return lines.join('\n');
}
