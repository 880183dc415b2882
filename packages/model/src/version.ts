/** The annet version written into checkpoints (`Checkpoint.annetVersion`); kept equal to this package's version. */
export const annetVersion = '0.1.0';
