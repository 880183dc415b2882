import { mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// --expose-gc: resident-memory.test.ts checks that a collected resident array's block returns to the allocator.
export default mergeConfig(shared, { test: { execArgv: ['--expose-gc'] } });
