#!/usr/bin/python3
"""Open an ISO image with pycdlib (a strict reader) and describe its three namespaces.

Usage: pycdlib-walk.py IMAGE. Prints one JSON object on stdout:
  {"iso": [...], "joliet": [...], "rr": [...], "problems": [...], "labels": {...}}
Each entry is {"path", "type": "file"|"dir"|"symlink", "size", "sha256", "target", "mode", "rrName"}
(only the fields that apply). "problems" lists what pycdlib's own checks reject: ISO 9660
identifiers that are not d-characters at interchange level 3 (ECMA-119 7.5.1, 7.6.1) and
directories whose path table record is missing or names another parent (ECMA-119 9.4).
"labels" holds the texts of the primary and (as "joliet") the Joliet descriptor, padding kept:
{"pvd": {"system_identifier": ..., "volume_identifier": ..., ...}, "joliet": {...}}.
A failure to open the image is an exit status of 1 with pycdlib's message on stderr.
"""
import hashlib
import json
import sys

import pycdlib
from pycdlib import pycdlib as pycdlib_core


class Hasher:
    """A file-like sink for get_file_from_iso_fp: counts and hashes what it is given."""

    def __init__(self):
        self.h = hashlib.sha256()
        self.size = 0

    def write(self, data):
        self.h.update(data)
        self.size += len(data)
        return len(data)

    def seek(self, offset, whence=1):
        # pycdlib pads the boot catalog out to a block by seeking forward: that is zeros
        if whence != 1 or offset < 0:
            raise ValueError('only forward seeks from here')
        self.write(bytes(offset))


def check_iso_id(rec, path, problems):
    ident = rec.file_identifier()
    try:
        if rec.is_dir():
            pycdlib_core._check_iso9660_directory(ident, 3)
        else:
            pycdlib_core._check_iso9660_filename(ident, 3)
    except pycdlib.pycdlibexception.PyCdlibInvalidInput as e:
        problems.append('%s: %r: %s' % (path, ident, e))


def check_ptr(rec, parent, path, table, problems):
    """A directory's path table record: there, with its identifier and its parent's number."""
    nums = table['num']
    n = nums.get(rec.extent_location())
    if n is None:
        problems.append('%s: no path table record' % path)
        return
    ptr = table['records'][n - 1]
    if ptr.directory_identifier != rec.file_identifier():
        problems.append('%s: path table record %d is named %r' % (path, n, ptr.directory_identifier))
    want = nums.get(parent.extent_location())
    if ptr.parent_directory_num != want:
        problems.append('%s: path table parent %d, its parent is number %s' % (path, ptr.parent_directory_num, want))


def walk(iso, kind, tables, problems):
    key = {'iso': 'iso_path', 'joliet': 'joliet_path', 'rr': 'rr_path'}[kind]
    encoding = 'utf-16_be' if kind == 'joliet' else 'utf-8'
    out = []
    queue = [('/', '', iso.get_record(**{key: '/'}))]
    while queue:
        query, rel, parent = queue.pop(0)
        for child in iso.list_children(**{key: query}):
            if child is None or child.is_dot() or child.is_dotdot():
                continue
            raw = child.rock_ridge.name() if kind == 'rr' else child.file_identifier()
            name = raw.decode(encoding)
            child_query = query.rstrip('/') + '/' + name
            display = name.split(';')[0] if kind == 'iso' else name
            path = rel + '/' + display if rel else display
            e = {'path': path}
            rr = child.rock_ridge
            if rr is not None and kind != 'joliet':
                if kind == 'iso':
                    e['rrName'] = rr.name().decode('utf-8')
                e['mode'] = rr.get_file_mode() & 0o7777
            if kind == 'iso':
                check_iso_id(child, path, problems)
            if child.is_dir():
                e['type'] = 'dir'
                if kind != 'rr':
                    check_ptr(child, parent, kind + ':' + path, tables[kind], problems)
                queue.append((child_query, path, child))
            elif rr is not None and kind != 'joliet' and rr.is_symlink():
                e['type'] = 'symlink'
                e['target'] = rr.symlink_path().decode('utf-8')
            else:
                if out and out[-1]['path'] == path:
                    continue  # the further extents of a multi-extent file (ECMA-119 6.5.1)
                h = Hasher()
                iso.get_file_from_iso_fp(h, **{key: child_query})
                e['type'] = 'file'
                e['size'] = h.size
                e['sha256'] = h.h.hexdigest()
            out.append(e)
    return out


LABELS = ['system_identifier', 'volume_identifier', 'volume_set_identifier',
          'publisher_identifier', 'preparer_identifier', 'application_identifier']


def labels(vd, encoding):
    """A descriptor's texts as pycdlib parsed them (the last four are FileOrTextIdentifier)."""
    raw = {k: getattr(vd, k) for k in LABELS}
    return {k: getattr(v, 'text', v).decode(encoding) for k, v in raw.items()}


def path_table(iso, vd, unit, label, problems):
    """The L path table of a volume descriptor in table order; checks its ECMA-119 6.9.1 order."""
    records = iso._parse_path_table(vd.path_table_size(), vd.path_table_location_le)[0]
    level = []
    prev = None
    for i, p in enumerate(records):
        if i > 0 and not 1 <= p.parent_directory_num <= i:
            problems.append('%s path table: record %d has parent %d' % (label, i + 1, p.parent_directory_num))
            break
        lv = 1 if i == 0 else level[p.parent_directory_num - 1] + 1
        level.append(lv)
        ident = p.directory_identifier
        key = (lv, p.parent_directory_num)
        if prev is not None and i > 1:
            pk, pid = prev
            width = max(len(pid), len(ident))
            space = b' ' if unit == 1 else b'\x00 '
            a = pid + space * ((width - len(pid)) // unit)
            b = ident + space * ((width - len(ident)) // unit)
            if (pk, a) >= (key, b):
                problems.append('%s path table: record %d %r is not after %r (ECMA-119 6.9.1)' % (label, i + 1, ident, pid))
        prev = (key, ident)
    return {'records': records, 'num': {p.extent_location: i + 1 for i, p in enumerate(records)}}


def main():
    iso = pycdlib.PyCdlib()
    try:
        iso.open(sys.argv[1])
    except Exception as e:  # pycdlib raises several types for malformed images
        sys.stderr.write('pycdlib cannot open %s: %s\n' % (sys.argv[1], e))
        return 1
    problems = []
    result = {'problems': problems, 'interchangeLevel': iso.interchange_level}
    tables = {'iso': path_table(iso, iso.pvd, 1, 'ISO 9660', problems)}
    if iso.joliet_vd is not None:
        tables['joliet'] = path_table(iso, iso.joliet_vd, 2, 'Joliet', problems)
    result['labels'] = {'pvd': labels(iso.pvd, 'latin-1')}
    if iso.joliet_vd is not None:
        result['labels']['joliet'] = labels(iso.joliet_vd, 'utf-16_be')
    result['iso'] = walk(iso, 'iso', tables, problems)
    if iso.joliet_vd is not None:
        result['joliet'] = walk(iso, 'joliet', tables, problems)
    if iso.rock_ridge:
        result['rr'] = walk(iso, 'rr', tables, problems)
    iso.close()
    json.dump(result, sys.stdout)
    return 0


if __name__ == '__main__':
    sys.exit(main())
