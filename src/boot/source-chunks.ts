/**
 * A source file's bytes in chunks, checked against the size the scan recorded (a file that shrank
 * or grew since is an error naming it and the option that brought it in): the FAT builder's files,
 * an ESP image given as a file and the appended partitions stream through here.
 */
import { cliFlag, optionError } from '../errors.js';
import { openRegularFile } from '../files.js';
import { imageChunks } from '../image/image-data.js';
import type { FileNode } from '../image/tree.js';

const READ_CHUNK = 1 << 20;

/** A file's bytes in chunks (fresh buffers), checked against the size the scan recorded. */
export async function* readFileChunks(
  node: FileNode,
  option: string,
  during = 'the FAT image was written'
): AsyncGenerator<Buffer> {
  const data = node.data;
  if (data.type === 'memory') {
    if (data.bytes.length !== node.size)
      throw optionError(option, `${node.path}: ${data.bytes.length} bytes where ${node.size} were expected`, {
        subject: node.path
      });
    if (node.size > 0) yield data.bytes;
    return;
  }
  if (data.type === 'image') {
    yield* imageChunks(data.image, data.extents, node.size);
    return;
  }
  if (data.type !== 'file') throw new Error(`FAT builder: ${node.path} has no readable data`);
  yield* readPathChunks(data.path, node.size, option, during);
}

/** A file on disk in chunks (fresh buffers): exactly `size` bytes, or an error naming it and `option`. */
export async function* readPathChunks(
  path: string,
  size: number,
  option: string,
  during: string
): AsyncGenerator<Buffer> {
  const changed = (now: string) =>
    optionError(option, `${path} changed while ${during} (${size} bytes when scanned, ${now})`, {
      subject: path
    });
  // a regular file still (not swapped for a FIFO since the scan), opened without blocking
  const { handle: fh } = await openRegularFile(path, { what: `${cliFlag(option)}: cannot read` });
  try {
    let pos = 0;
    while (pos < size) {
      const want = Math.min(READ_CHUNK, size - pos);
      const buf = Buffer.allocUnsafe(want);
      for (let got = 0; got < want;) {
        const { bytesRead } = await fh.read(buf, got, want - got, pos + got);
        if (bytesRead === 0) throw changed(`${pos + got} bytes now`);
        got += bytesRead;
      }
      pos += want;
      yield buf;
    }
    const { bytesRead } = await fh.read(Buffer.alloc(1), 0, 1, pos);
    if (bytesRead !== 0) throw changed('more now');
  } finally {
    await fh.close();
  }
}
