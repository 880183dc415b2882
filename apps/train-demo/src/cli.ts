#!/usr/bin/env node
// The `annet-train` command: trains on MNIST digits and reports what it learned (see --help).
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
