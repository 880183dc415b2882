/**
 * annet's one error class, its codes and the shape format live in `@annet/layer-api`, the spec
 * every package depends on; this package re-exports them so `import { AnnetError } from
 * '@annet/tensor'` keeps working and its own modules import them from here.
 */
export { AnnetError, formatShape, type AnnetErrorCode } from '@annet/layer-api';
