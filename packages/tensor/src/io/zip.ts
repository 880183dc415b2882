import { AnnetError } from '../errors.js';
import { crc32 } from './crc32.js';
import { ioError, type IoContext } from './io-context.js';

/** One member of a zip archive as located by its central directory. */
export interface ZipMember {
  /** The member's path inside the archive, such as `weights.npy`. */
  readonly name: string;
  /** 0 for stored, 8 for deflate. */
  readonly method: number;
  /** CRC-32 of the uncompressed bytes, as recorded in the central directory. */
  readonly crc: number;
  /** Bytes of stored or compressed data. */
  readonly compressedSize: number;
  /** Bytes once extracted. */
  readonly size: number;
  /** Index in the archive of the member's first data byte. */
  readonly dataStart: number;
}

const localSignature = 0x04034b50;
const centralSignature = 0x02014b50;
const endSignature = 0x06054b50;
const zip64LocatorSignature = 0x07064b50;
const zip64EndSignature = 0x06064b50;
/** Deflate cannot expand by more than 1032:1; a member claiming more is corrupt (or a bomb). */
const maximumDeflateRatio = 1032;
/** 1980-01-01 00:00, the earliest DOS date: written members carry it so archives are reproducible. */
const dosDate = (1 << 5) | 1;

/**
 * Reads a zip archive's central directory and returns its members, checking every size and
 * offset against the archive before anything is used: members must lie inside the archive,
 * before the directory, without overlapping; names must be unique. Zip64 records are followed.
 *
 * @example
 * readZipDirectory(bytes, context).map((member) => member.name); // ['x.npy', 'y.npy']
 */
export function readZipDirectory(bytes: Uint8Array, context: IoContext): ZipMember[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndRecord(bytes, view, context);
  let count = view.getUint16(end + 10, true);
  let directorySize = view.getUint32(end + 12, true);
  let directoryOffset = view.getUint32(end + 16, true);
  let directoryLimit = end;
  if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 6, true) !== 0) {
    if (count !== 0xffff) throw ioError(context, 'UNSUPPORTED', 'multi-volume zip archives are not supported');
  }
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const zip64 = readZip64End(view, end, context);
    ({ count, directorySize, directoryOffset } = zip64);
    directoryLimit = zip64.recordOffset;
  }
  if (directoryOffset + directorySize > directoryLimit) {
    throw ioError(
      context,
      'PARSE_ERROR',
      `the zip central directory (${directorySize} bytes at ${directoryOffset}) runs past its end record at ${directoryLimit} (truncated?)`,
    );
  }
  if (count * 46 > directorySize) {
    throw ioError(
      context,
      'PARSE_ERROR',
      `the zip directory claims ${count} members but has room for at most ${Math.floor(directorySize / 46)}`,
    );
  }
  const members: ZipMember[] = [];
  const extents: Array<[start: number, end: number, name: string]> = [];
  const names = new Set<string>();
  let position = directoryOffset;
  for (let index = 0; index < count; index++) {
    const { member, next, localOffset } = readCentralEntry(
      bytes,
      view,
      position,
      directoryOffset + directorySize,
      directoryOffset,
      context,
    );
    if (names.has(member.name))
      throw ioError(context, 'PARSE_ERROR', `the zip archive has two members named '${member.name}'`);
    names.add(member.name);
    members.push(member);
    extents.push([localOffset, member.dataStart + member.compressedSize, member.name]);
    position = next;
  }
  extents.sort((a, b) => a[0] - b[0]);
  for (let index = 1; index < extents.length; index++) {
    if (extents[index][0] < extents[index - 1][1]) {
      throw ioError(
        context,
        'PARSE_ERROR',
        `zip members '${extents[index - 1][2]}' and '${extents[index][2]}' overlap`,
      );
    }
  }
  return members;
}

function findEndRecord(bytes: Uint8Array, view: DataView, context: IoContext): number {
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let position = bytes.length - 22; position >= lowest; position--) {
    // The comment length must reach exactly to the end, so a signature inside a comment or data is skipped.
    if (
      view.getUint32(position, true) === endSignature &&
      position + 22 + view.getUint16(position + 20, true) === bytes.length
    )
      return position;
  }
  throw ioError(
    context,
    'PARSE_ERROR',
    `not a zip archive: no end-of-central-directory record in its ${bytes.length} bytes (truncated?)`,
  );
}

function readUint64(view: DataView, position: number, what: string, context: IoContext): number {
  const value = view.getBigUint64(position, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    throw ioError(context, 'PARSE_ERROR', `zip64 ${what} ${value} is too large`);
  return Number(value);
}

function readZip64End(view: DataView, end: number, context: IoContext) {
  const locator = end - 20;
  if (locator < 0 || view.getUint32(locator, true) !== zip64LocatorSignature) {
    throw ioError(context, 'PARSE_ERROR', 'the zip end record asks for zip64 but there is no zip64 locator');
  }
  const recordOffset = readUint64(view, locator + 8, 'record offset', context);
  if (recordOffset + 56 > locator || view.getUint32(recordOffset, true) !== zip64EndSignature) {
    throw ioError(context, 'PARSE_ERROR', `no zip64 end record at offset ${recordOffset}`);
  }
  if (view.getUint32(recordOffset + 16, true) !== 0 || view.getUint32(recordOffset + 20, true) !== 0) {
    throw ioError(context, 'UNSUPPORTED', 'multi-volume zip archives are not supported');
  }
  return {
    recordOffset,
    count: readUint64(view, recordOffset + 32, 'member count', context),
    directorySize: readUint64(view, recordOffset + 40, 'directory size', context),
    directoryOffset: readUint64(view, recordOffset + 48, 'directory offset', context),
  };
}

function readCentralEntry(
  bytes: Uint8Array,
  view: DataView,
  position: number,
  directoryEnd: number,
  dataLimit: number,
  context: IoContext,
) {
  if (position + 46 > directoryEnd || view.getUint32(position, true) !== centralSignature) {
    throw ioError(context, 'PARSE_ERROR', `corrupt zip central directory at offset ${position}`);
  }
  const flags = view.getUint16(position + 8, true);
  const method = view.getUint16(position + 10, true);
  const crc = view.getUint32(position + 16, true);
  let compressedSize = view.getUint32(position + 20, true);
  let size = view.getUint32(position + 24, true);
  const nameLength = view.getUint16(position + 28, true);
  const extraLength = view.getUint16(position + 30, true);
  const commentLength = view.getUint16(position + 32, true);
  let localOffset = view.getUint32(position + 42, true);
  const next = position + 46 + nameLength + extraLength + commentLength;
  if (next > directoryEnd)
    throw ioError(context, 'PARSE_ERROR', `a zip directory entry at offset ${position} runs past the directory`);
  const name = decodeName(bytes.subarray(position + 46, position + 46 + nameLength), context);
  if (flags & 1) throw ioError(context, 'UNSUPPORTED', `zip member '${name}' is encrypted`);
  // Zip64 extra field (id 1): 64-bit values for exactly the 32-bit fields that read 0xFFFFFFFF, in this order.
  let extra = position + 46 + nameLength;
  const extraEnd = extra + extraLength;
  while (extra + 4 <= extraEnd) {
    const id = view.getUint16(extra, true);
    const length = view.getUint16(extra + 2, true);
    if (extra + 4 + length > extraEnd)
      throw ioError(context, 'PARSE_ERROR', `zip member '${name}' has a malformed extra field`);
    if (id === 1) {
      let field = extra + 4;
      const take = (what: string) => {
        if (field + 8 > extra + 4 + length)
          throw ioError(context, 'PARSE_ERROR', `zip member '${name}' has a short zip64 field`);
        const value = readUint64(view, field, what, context);
        field += 8;
        return value;
      };
      if (size === 0xffffffff) size = take('size');
      if (compressedSize === 0xffffffff) compressedSize = take('compressed size');
      if (localOffset === 0xffffffff) localOffset = take('offset');
    }
    extra += 4 + length;
  }
  if (localOffset + 30 > dataLimit || view.getUint32(localOffset, true) !== localSignature) {
    throw ioError(context, 'PARSE_ERROR', `zip member '${name}' has no local header at offset ${localOffset}`);
  }
  const dataStart = localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
  if (dataStart + compressedSize > dataLimit) {
    throw ioError(
      context,
      'PARSE_ERROR',
      `zip member '${name}' (${compressedSize} bytes at ${dataStart}) runs past the member data (truncated?)`,
    );
  }
  return { member: { name, method, crc, compressedSize, size, dataStart }, next, localOffset };
}

function decodeName(bytes: Uint8Array, context: IoContext): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw ioError(context, 'UNSUPPORTED', 'a zip member name is not valid UTF-8');
  }
}

/**
 * The uncompressed bytes of one member, checked against its CRC-32: a view into `bytes` for a
 * stored member; for a deflated one, a fresh array filled through the standard
 * `DecompressionStream('deflate-raw')` (Node 20+ and browsers), never beyond the declared size.
 *
 * @example
 * const data = await extractZipMember(bytes, readZipDirectory(bytes, context)[0], context);
 */
export async function extractZipMember(bytes: Uint8Array, member: ZipMember, context: IoContext): Promise<Uint8Array> {
  const compressed = bytes.subarray(member.dataStart, member.dataStart + member.compressedSize);
  let data: Uint8Array;
  if (member.method === 0) {
    if (member.size !== member.compressedSize) {
      throw ioError(
        context,
        'PARSE_ERROR',
        `stored zip member '${member.name}' declares ${member.size} bytes but holds ${member.compressedSize}`,
      );
    }
    data = compressed;
  } else if (member.method === 8) {
    if (member.size > member.compressedSize * maximumDeflateRatio + 64) {
      throw ioError(
        context,
        'PARSE_ERROR',
        `zip member '${member.name}' declares ${member.size} bytes from ${member.compressedSize} compressed, beyond deflate's ${maximumDeflateRatio}:1 limit`,
      );
    }
    data = await inflateRaw(compressed, member, context);
  } else {
    throw ioError(
      context,
      'UNSUPPORTED',
      `zip member '${member.name}' uses compression method ${member.method}; only stored (0) and deflate (8) are supported`,
    );
  }
  const computed = crc32(data);
  if (computed !== member.crc) {
    throw ioError(
      context,
      'CHECKSUM_MISMATCH',
      `zip member '${member.name}' fails its CRC-32 check (recorded ${hex(member.crc)}, computed ${hex(computed)}); the archive is corrupt`,
    );
  }
  return data;
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

async function inflateRaw(compressed: Uint8Array, member: ZipMember, context: IoContext): Promise<Uint8Array> {
  if (typeof DecompressionStream !== 'function') {
    throw ioError(
      context,
      'UNSUPPORTED',
      `zip member '${member.name}' is deflated and this runtime has no DecompressionStream`,
    );
  }
  const out = new Uint8Array(member.size);
  let written = 0;
  const input = new ReadableStream<BufferSource>({
    start(controller) {
      controller.enqueue(compressed as Uint8Array<ArrayBuffer>);
      controller.close();
    },
  });
  const reader = input.pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (written + value.length > out.length) {
        await reader.cancel();
        throw ioError(
          context,
          'PARSE_ERROR',
          `zip member '${member.name}' inflates past its declared ${member.size} bytes`,
        );
      }
      out.set(value, written);
      written += value.length;
    }
  } catch (error) {
    if (error instanceof AnnetError) throw error;
    throw ioError(
      context,
      'PARSE_ERROR',
      `zip member '${member.name}' holds invalid deflate data (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (written !== out.length) {
    throw ioError(
      context,
      'PARSE_ERROR',
      `zip member '${member.name}' inflates to ${written} bytes, not its declared ${member.size}`,
    );
  }
  return out;
}

/**
 * Builds a zip archive of stored (uncompressed) members, the layout `numpy.savez` writes: local
 * headers and data, then the central directory and its end record. Dates are fixed at
 * 1980-01-01 so equal input gives equal bytes. Limited to 65 535 members under 4 GiB in all.
 *
 * @example
 * const archive = writeStoredZip([{ name: 'x.npy', data: encodeNpy(x) }], 'encodeNpz');
 */
export function writeStoredZip(
  members: ReadonlyArray<{ readonly name: string; readonly data: Uint8Array }>,
  operation: string,
): Uint8Array {
  const encoder = new TextEncoder();
  const names = members.map((member) => encoder.encode(member.name));
  let total = 22;
  for (let index = 0; index < members.length; index++)
    total += 30 + 46 + 2 * names[index].length + members[index].data.length;
  if (members.length > 0xffff || total > 0xffffffff) {
    throw new AnnetError(
      'UNSUPPORTED',
      operation,
      `${members.length} members in ${total} bytes need zip64, which this writer does not produce (limits: 65535 members, 4 GiB)`,
    );
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const offsets: number[] = [];
  const crcs: number[] = [];
  let position = 0;
  members.forEach((member, index) => {
    offsets.push(position);
    crcs.push(crc32(member.data));
    position = writeEntryHeader(view, out, position, localSignature, names[index], member.data.length, crcs[index]);
    out.set(member.data, position);
    position += member.data.length;
  });
  const directoryOffset = position;
  members.forEach((member, index) => {
    position = writeEntryHeader(
      view,
      out,
      position,
      centralSignature,
      names[index],
      member.data.length,
      crcs[index],
      offsets[index],
    );
  });
  view.setUint32(position, endSignature, true);
  view.setUint16(position + 8, members.length, true);
  view.setUint16(position + 10, members.length, true);
  view.setUint32(position + 12, position - directoryOffset, true);
  view.setUint32(position + 16, directoryOffset, true);
  return out;
}

/** Writes a local header (no `localOffset`) or a central directory entry; returns the next position. */
function writeEntryHeader(
  view: DataView,
  out: Uint8Array,
  position: number,
  signature: number,
  name: Uint8Array,
  size: number,
  crc: number,
  localOffset?: number,
): number {
  const central = localOffset !== undefined;
  const utf8Flag = name.some((byte) => byte >= 0x80) ? 1 << 11 : 0;
  let field = position;
  view.setUint32(field, signature, true);
  field += 4;
  if (central) {
    view.setUint16(field, 20, true); // version made by: 2.0
    field += 2;
  }
  view.setUint16(field, 20, true); // version needed to extract: 2.0
  view.setUint16(field + 2, utf8Flag, true);
  view.setUint16(field + 4, 0, true); // method: stored
  view.setUint16(field + 6, 0, true); // time 00:00
  view.setUint16(field + 8, dosDate, true);
  view.setUint32(field + 10, crc, true);
  view.setUint32(field + 14, size, true);
  view.setUint32(field + 18, size, true);
  view.setUint16(field + 22, name.length, true);
  view.setUint16(field + 24, 0, true); // extra length
  field += 26;
  if (central) {
    // comment length, disk, internal attributes (2+2+2), external attributes (4), local header offset.
    view.setUint32(field + 10, localOffset, true);
    field += 14;
  }
  out.set(name, field);
  return field + name.length;
}
