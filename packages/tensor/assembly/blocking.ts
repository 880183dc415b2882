// Block sizes of the packed matmul (the GotoBLAS/BLIS loop nest).
// MR x NR is the register tile: MR rows of A times NR columns of B held in MR * NR / 4 v128
// accumulators. KC is the depth of one packed panel pair (an NR-column panel of B is
// KC * NR * 4 bytes = 8 KiB, so it stays in L1 while the A panels stream past it); MC rows of
// packed A (MC * KC * 4 = 80 KiB) stay in L2, and 80 rows take a batch of 64 in one block;
// NC columns of packed B bound the packed-B block (1 MiB).

/** Rows of the register tile. */
export const MR: i32 = 5;
/** Columns of the register tile (two f32x4 vectors). */
export const NR: i32 = 8;
/** Depth of one packed block. */
export const KC: i32 = 256;
/** Rows of A packed at once. */
export const MC: i32 = 80;
/** Columns of B packed at once. */
export const NC: i32 = 1024;
