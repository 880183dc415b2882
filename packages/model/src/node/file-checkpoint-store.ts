import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { saveCheckpoint } from '@annet/serialization/node';
import type { Checkpoint } from '@annet/serialization';
import { AnnetError } from '@annet/tensor';
import type { CheckpointMoment, CheckpointStore } from '../callbacks/model-checkpoint.js';
import { createFolders } from './create-folders.js';

/**
 * Options of {@link fileCheckpointStore}.
 *
 * @example
 * fileCheckpointStore('runs/a/latest.ckpt', { keepVersions: 3 }); // latest.ckpt, latest.1.ckpt, latest.2.ckpt
 */
export interface FileCheckpointStoreOptions {
  /**
   * For a fixed file name: versions to keep, the new one included (`model.1.ckpt`, … as
   * `saveCheckpoint` rotates them). Default 1. With `{epoch}`/`{step}` names use ModelCheckpoint's `keepLast`.
   */
  readonly keepVersions?: number;
}

/**
 * A {@link CheckpointStore} writing files atomically (through `saveCheckpoint` of
 * `@annet/serialization/node`: temporary file, fsync, rename), so a crash mid-save leaves the
 * previous checkpoint intact. `{epoch}` and `{step}` in `pathTemplate` are replaced by the moment's
 * numbers (`{epoch:03}` pads to three digits); without them every save replaces the same file.
 * Missing folders on the path are created at the first save (as `CSVLogger` does).
 *
 * @example
 * const saver = new ModelCheckpoint({ store: fileCheckpointStore('runs/a/epoch-{epoch:03}.ckpt'), keepLast: 3 });
 */
export function fileCheckpointStore(pathTemplate: string, options: FileCheckpointStoreOptions = {}): CheckpointStore {
  if (typeof pathTemplate !== 'string' || pathTemplate === '') {
    throw new AnnetError(
      'INVALID_ARGUMENT',
      'fileCheckpointStore',
      `expected a file path (optionally with {epoch} or {step}), got ${JSON.stringify(pathTemplate)}`,
    );
  }
  return {
    location: (moment: CheckpointMoment) => expandTemplate(pathTemplate, moment),
    async save(location: string, checkpoint: Checkpoint) {
      createFolders(path.dirname(location), 'fileCheckpointStore');
      await saveCheckpoint(location, checkpoint, { keepLast: options.keepVersions });
    },
    async remove(location: string) {
      try {
        await unlink(location);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    },
  };
}

/**
 * Replaces `{epoch}` and `{step}` (optionally `{epoch:03}`, zero-padded to that width).
 *
 * @example
 * expandTemplate('ckpt-{epoch:03}-{step}.ckpt', { epoch: 7, step: 875, trigger: 'epoch' }); // 'ckpt-007-875.ckpt'
 */
export function expandTemplate(template: string, moment: CheckpointMoment): string {
  return template.replace(/\{(epoch|step)(?::(\d+))?\}/g, (_, key: 'epoch' | 'step', width?: string) =>
    String(moment[key]).padStart(width ? Number(width) : 0, '0'),
  );
}
