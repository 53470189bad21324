/**
 * Text taken from an image (names, ids, link targets, partition names) is data, never layout. An
 * image is hostile: a volume id holding LF, CR or ESC must not split a report row, forge a line,
 * move the cursor, or start a GitHub workflow command. Everything a human reads passes here.
 *
 * - `shown(s)` renders one string from an image: C0 and C1 controls, DEL, the Unicode line and
 *   paragraph separators, the bidirectional overrides (which reorder a line on screen) and lone
 *   UTF-16 surrogates become escapes (`\n`, `\x1b`, `\u{2028}`, `\u{d800}`); the backslash itself
 *   is doubled, so every escape is unambiguous.
 * - `quoted(s)` is `shown(s)` in double quotes, with `"` escaped, for messages that quote a name.
 * - `safeLine(s)` makes a message that is already composed (an error, a report row, a log line)
 *   one line with no raw control characters; unlike `shown` it leaves backslashes alone (a Windows
 *   path stays readable), so it is the net under every output, and idempotent on `shown` text.
 * - Both neutralise GitHub's workflow commands: the runner looks for `##[name]…` anywhere in a
 *   line of a step's output and for `::name::…` at a line's start (after blanks); no rendered
 *   string holds a line break, and one that starts with `::` gets `\x3a:`.
 * - `jsonText(value)` is JSON.stringify that also escapes DEL, C1, U+2028/2029 and the bidi
 *   controls (`\u009b`…): the same exact strings, safe to print to a terminal.
 */

const NAMED: Record<string, string> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\\0',
  '\x1b': '\\x1b'
};

/**
 * What is never printed raw: C0 (U+0000-U+001F), DEL and C1 (U+007F-U+009F), the line and paragraph
 * separators (U+2028, U+2029), the bidi embeddings, overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069), the marks (U+200E, U+200F, U+061C) and lone surrogates.
 */
const UNSAFE =
  /[\0-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** The runner's V1 command prefix (actions/runner ActionCommand.Prefix), found anywhere in a line. */
const V1_COMMAND = /##\[/g;
/** The V2 form (ActionCommand.TryParseV2), which counts only at the start of a line. */
const V2_COMMAND = /^(\s*):(?=:)/;

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** The runner's commands: `::name::` at a line's start (after blanks), `##[name]` anywhere. */
function noCommands(s: string): string {
  return s.replace(V1_COMMAND, '#\\x23[').replace(V2_COMMAND, '$1\\x3a');
}

/** One string from an image, for humans: escapes for what is not printable, `\\` for `\`. */
export function shown(s: string): string {
  return noCommands(s.replace(/\\/g, '\\\\').replace(UNSAFE, escapeOne));
}

/** A name from an image in double quotes, `"` inside escaped: `"a\"b\n"`. */
export function quoted(s: string): string {
  return `"${shown(s).replace(/"/g, '\\"')}"`;
}

/**
 * A composed message on one line: line breaks (with the blanks around them) become one space,
 * other controls escapes; backslashes stay. `safeLine(shown(x)) === shown(x)`.
 */
export function safeLine(s: string): string {
  return noCommands(s.replace(/[ \t]*(?:\r\n|\n)[ \t]*/g, ' ').replace(UNSAFE, escapeOne));
}

/** Lines of a log (a serial console): each made safe, the line structure kept. */
export function safeLines(s: string): string[] {
  return s.split(/\r?\n/).map(l => safeLine(l));
}

const JSON_UNSAFE = /[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** JSON.stringify whose output holds no raw control or bidi character (strings stay exact). */
export function jsonText(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent)
    .replace(JSON_UNSAFE, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(V1_COMMAND, '#\\u0023[');
}
