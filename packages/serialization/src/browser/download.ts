import { AnnetError } from '@annet/tensor';
import { checkBytes, checkEntryName } from './byte-store.js';

/**
 * What {@link downloadBytes} needs of a page: `document.createElement('a')` and
 * `URL.createObjectURL`. Tests pass stand-ins; a worker has no document (send the bytes to the
 * page with `postMessage` and download there).
 *
 * @example
 * downloadBytes('run.ckpt', bytes, { document: window.document });
 */
export interface DownloadOptions {
  /** Default `globalThis.document`. */
  readonly document?: Pick<Document, 'createElement'> & { readonly body?: { append(node: Node): void } | null };
  /** MIME type of the file; default `application/octet-stream`. */
  readonly mimeType?: string;
}

/**
 * Offers `bytes` to the user as a file download named `name` (an `<a download>` clicked on a
 * blob URL, revoked afterwards). The browser writes downloads to a temporary name and renames
 * them when complete, so an interrupted download never replaces an earlier file of that name;
 * re-open it with {@link readBytes} on the `File` the user picks.
 *
 * @example
 * downloadBytes('mnist-epoch-3.ckpt', encodeCheckpoint(checkpoint));
 */
export function downloadBytes(name: string, bytes: Uint8Array, options: DownloadOptions = {}): void {
  checkEntryName(name, 'downloadBytes');
  checkBytes(bytes, 'downloadBytes');
  const page = options.document ?? (globalThis as { document?: DownloadOptions['document'] }).document;
  if (page === undefined || typeof page.createElement !== 'function') {
    throw new AnnetError(
      'UNSUPPORTED',
      'downloadBytes',
      'there is no document here (a worker or Node); send the bytes to the page with postMessage and download them there, or save with @annet/serialization/node',
    );
  }
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type: options.mimeType ?? 'application/octet-stream' }));
  const anchor = page.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.rel = 'noopener';
  // Firefox ignores clicks on anchors outside the document.
  page.body?.append(anchor);
  try {
    anchor.click();
  } finally {
    anchor.remove?.();
    // Revoke after the click has been handled, or the download may find the URL gone.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

/**
 * Downloads as a write-only store, for `ModelCheckpoint` through `byteCheckpointStore` of
 * `@annet/model` (each save becomes a file download). `list()` gives the names downloaded by
 * this store in this session; `delete` forgets a name (files the user saved cannot be deleted
 * from a page). There is no `read`: the user picks a file, and `readCheckpoint(file)` reads it.
 *
 * @example
 * const saver = new ModelCheckpoint({ store: byteCheckpointStore(downloadStore(), (moment) => `epoch-${moment.epoch}.ckpt`), saveOnAbort: true });
 */
export function downloadStore(options: DownloadOptions = {}): {
  write(name: string, bytes: Uint8Array): Promise<void>;
  list(): Promise<string[]>;
  delete(name: string): Promise<void>;
} {
  const names = new Set<string>();
  return {
    async write(name: string, bytes: Uint8Array) {
      downloadBytes(name, bytes, options);
      names.add(name);
    },
    async list() {
      return [...names].sort();
    },
    async delete(name: string) {
      names.delete(name);
    },
  };
}
