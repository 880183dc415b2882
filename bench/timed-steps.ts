/** What {@link timeSteps} measured: seconds over the timed steps, and the mean loss of the last 10 steps. */
export interface TimedSteps {
  readonly seconds: number;
  readonly finalLoss: number;
}

/**
 * Runs `step(iteration)` for `warmup + iterations` iterations and times the last `iterations`
 * (the warm-up ones let V8 compile and the buffers settle). `step` returns its training loss;
 * finalLoss is the mean over the last 10, rounded to 4 decimals as every workload prints it.
 *
 * @example
 * const { seconds, finalLoss } = timeSteps(3, 30, (iteration) => trainOneStep(iteration));
 */
export function timeSteps(warmup: number, iterations: number, step: (iteration: number) => number): TimedSteps {
  const losses: number[] = [];
  let start = 0;
  for (let iteration = 0; iteration < warmup + iterations; iteration++) {
    if (iteration === warmup) start = performance.now();
    losses.push(step(iteration));
  }
  const seconds = (performance.now() - start) / 1000;
  const last = losses.slice(-10);
  return { seconds, finalLoss: Number((last.reduce((sum, value) => sum + value, 0) / last.length).toFixed(4)) };
}

/**
 * Parameters of a model, counted as elements (printed beside each workload so annet's and the reference's agree).
 *
 * @example
 * parameterCount(model); // 812416 for the baby GPT
 */
export function parameterCount(model: { parameters(): ReadonlyArray<{ readonly value: ArrayLike<number> }> }): number {
  return model.parameters().reduce((sum, parameter) => sum + parameter.value.length, 0);
}
