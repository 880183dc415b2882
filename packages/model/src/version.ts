/**
 * The annet version written into checkpoints (`Checkpoint.annetVersion`); kept equal to this package's version.
 *
 * @example
 * checkpoint.annetVersion === annetVersion; // written by this version
 */
export const annetVersion = '0.1.0';
