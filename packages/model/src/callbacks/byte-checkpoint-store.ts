import { encodeCheckpoint, type ByteStore, type Checkpoint } from '@annet/serialization';
import type { CheckpointMoment, CheckpointStore } from './model-checkpoint.js';

/**
 * A {@link CheckpointStore} over a `ByteStore` of `@annet/serialization` (IndexedDB, memory):
 * each checkpoint is encoded (safetensors with checksums) and written under a name from
 * `naming`; a failed write leaves the previous entry of that name in place. `keepLast` removes
 * old names with the store's `delete`.
 *
 * @example
 * const store = byteCheckpointStore(await openIndexedDbStore({ database: 'playground' }), () => 'latest.ckpt');
 * await model.fit(train, { ...options, signal, callbacks: [new ModelCheckpoint({ store, everyEpochs: 1 })] });
 */
export function byteCheckpointStore(
  store: Pick<ByteStore, 'write' | 'delete'>,
  naming: (moment: CheckpointMoment) => string = (moment) => `step-${moment.step}.ckpt`,
): CheckpointStore {
  return {
    location: naming,
    save: (location: string, checkpoint: Checkpoint) => store.write(location, encodeCheckpoint(checkpoint)),
    remove: (location: string) => store.delete(location),
  };
}
