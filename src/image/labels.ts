/**
 * The volume's texts: the identifiers of the primary volume descriptor (ECMA-119 8.4.5, 8.4.6,
 * 8.4.14, 8.4.20-8.4.22) and what each accepts.
 *
 * ECMA-119 asks for d-characters (A-Z, 0-9, _) in the volume id and a-characters elsewhere;
 * isoforge, like xorriso and genisoimage, takes any printable ASCII (0x20-0x7E) in every field,
 * because the labels that distributions boot by are not d-characters ('Ubuntu-Server 24.04 LTS
 * amd64', 'Fedora-WS-Live-41-1-4'). A text is kept exactly, so what cannot be kept is refused: a
 * character outside printable ASCII, more bytes than the field, and a trailing space (the fields
 * are padded with spaces, so no reader can tell it from the padding).
 *
 * A publisher, preparer or application id that starts with `_` names a file of the root
 * directory in ECMA-119 (8.4.20-8.4.22); isoforge writes it as text, as xorriso does, and does
 * not check for such a file.
 *
 * The Joliet descriptor carries the same texts in UCS-2 (ECMA-119 8.5, Joliet 1995): two bytes a
 * character, so half as many fit (16 of the volume id); a longer text is cut to the field there,
 * and being ASCII it is cut between characters.
 */
import type { OptionName } from '../option-schema.js';
import { optionError } from '../errors.js';
import { quoted } from '../text.js';
import { ID_LENGTH } from './voldesc.js';

/** The texts beside the volume id (the options system-id, volume-set-id, publisher, preparer, application-id). */
export interface VolumeIds {
  systemId: string;
  volumeSetId: string;
  publisherId: string;
  preparerId: string;
  applicationId: string;
}

export interface VolumeLabels extends VolumeIds {
  volumeId: string;
}

/** Each text's option (its schema name); the field lengths are voldesc.ts's ID_LENGTH. */
export const LABEL_OPTIONS: Readonly<Record<keyof VolumeLabels, OptionName>> = {
  volumeId: 'volume-id',
  systemId: 'system-id',
  volumeSetId: 'volume-set-id',
  publisherId: 'publisher',
  preparerId: 'preparer',
  applicationId: 'application-id'
};

/** What a caller of buildImage that names only the volume id gets (the options' defaults). */
export const DEFAULT_IDS: VolumeIds = {
  systemId: '',
  volumeSetId: '',
  publisherId: '',
  preparerId: '',
  applicationId: 'ISOFORGE'
};

/** The printable ASCII characters, 0x20-0x7E. */
const PRINTABLE = /^[\x20-\x7e]*$/;

const codePoint = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** One field's text, as `option`: printable ASCII, at most `length` bytes, no trailing space. */
export function checkLabel(option: string, text: string, length: number): void {
  if (!PRINTABLE.test(text)) {
    const bad = [...new Set([...text].filter(c => !PRINTABLE.test(c)))].map(codePoint).join(' ');
    throw optionError(option, `${quoted(text)} has characters outside printable ASCII (0x20-0x7E): ${bad}`);
  }
  if (text.length > length) {
    throw optionError(option, `${quoted(text)} is ${text.length} bytes; at most ${length} fit`);
  }
  if (text.endsWith(' ')) {
    throw optionError(
      option,
      `${quoted(text)} ends with a space, which no reader can tell from the field's padding`
    );
  }
}

/** Every text of `l`; the volume id must not be empty. */
export function checkLabels(l: VolumeLabels): void {
  if (l.volumeId === '') throw optionError(LABEL_OPTIONS.volumeId, 'must not be empty');
  for (const key of Object.keys(LABEL_OPTIONS) as (keyof VolumeLabels)[]) {
    checkLabel(LABEL_OPTIONS[key], l[key], ID_LENGTH[key]);
  }
}
