import { describe, expect, it } from 'vitest';
import type { Optimizer } from '../core/optimizer.js';
import { initialValues, makeParameter, maxDifference, variedGradients } from '../testing/fixtures.js';
import { testMemory } from '../testing/resident-memory.js';
import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { AdamW } from './adamw.js';
import { Lion } from './lion.js';
import { NAdam } from './nadam.js';
import { RAdam } from './radam.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

/*
 * Float64 references written from the pseudo-code in PyTorch's documentation (torch.optim.*; Lion
 * from Chen et al. 2023, Algorithm 2), one line of the docs per line here, element by element.
 * They share nothing with the implementations, which are arranged for speed (fused loops,
 * precomputed step sizes); agreement to 1e-6 over 12 steps on a [3, 4] parameter checks both.
 */

type Options = Record<string, number | boolean>;
/** Returns θ after each step, given θ0 and the gradient of each step. */
type Reference = (theta0: number[], gradients: number[][], o: Options) => number[][];

const zeros = (n: number) => new Array<number>(n).fill(0);
const num = (o: Options, key: string, fallback: number) => (o[key] ?? fallback) as number;

/** The docs' first lines for NAdam and RAdam: g ← ±∇; if λ ≠ 0: θ ← θ − γλθ (decoupled) or g ← g + λθ. */
function decayedGradient(theta: number[], i: number, gradient: number, o: Options, lr: number, lambda: number): number {
  let g = o.maximize ? -gradient : gradient;
  if (lambda !== 0) {
    if (o.decoupledWeightDecay) theta[i] = theta[i] - lr * lambda * theta[i];
    else g = g + lambda * theta[i];
  }
  return g;
}

/** m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g², element i. */
function updateMoments(m: number[], v: number[], i: number, g: number, b1: number, b2: number): void {
  m[i] = b1 * m[i] + (1 - b1) * g;
  v[i] = b2 * v[i] + (1 - b2) * g * g;
}

const sgd: Reference = (theta0, gradients, o) => {
  const lr = num(o, 'learningRate', 1e-3),
    mu = num(o, 'momentum', 0),
    tau = num(o, 'dampening', 0),
    lambda = num(o, 'weightDecay', 0);
  const theta = [...theta0],
    b = zeros(theta.length),
    out: number[][] = [];
  gradients.forEach((grad, index) => {
    const t = index + 1;
    for (let i = 0; i < theta.length; i++) {
      let g = o.maximize ? -grad[i] : grad[i]; // PyTorch's code negates before weight decay
      if (lambda !== 0) g = g + lambda * theta[i];
      if (mu !== 0) {
        b[i] = t > 1 ? mu * b[i] + (1 - tau) * g : g;
        g = o.nesterov ? g + mu * b[i] : b[i];
      }
      theta[i] = theta[i] - lr * g;
    }
    out.push([...theta]);
  });
  return out;
};

const adam =
  (decoupled: boolean): Reference =>
  (theta0, gradients, o) => {
    const lr = num(o, 'learningRate', 1e-3),
      b1 = num(o, 'beta1', 0.9),
      b2 = num(o, 'beta2', 0.999),
      eps = num(o, 'epsilon', 1e-8);
    const lambda = num(o, 'weightDecay', decoupled ? 0.01 : 0);
    const theta = [...theta0],
      m = zeros(theta.length),
      v = zeros(theta.length),
      vmax = zeros(theta.length),
      out: number[][] = [];
    gradients.forEach((grad, index) => {
      const t = index + 1;
      for (let i = 0; i < theta.length; i++) {
        let g = o.maximize ? -grad[i] : grad[i];
        if (decoupled) theta[i] = theta[i] - lr * lambda * theta[i];
        else if (lambda !== 0) g = g + lambda * theta[i];
        updateMoments(m, v, i, g, b1, b2);
        const mHat = m[i] / (1 - b1 ** t);
        let vHat: number;
        if (o.amsgrad) {
          vmax[i] = Math.max(vmax[i], v[i]);
          vHat = vmax[i] / (1 - b2 ** t);
        } else {
          vHat = v[i] / (1 - b2 ** t);
        }
        theta[i] = theta[i] - (lr * mHat) / (Math.sqrt(vHat) + eps);
      }
      out.push([...theta]);
    });
    return out;
  };

const rmsprop: Reference = (theta0, gradients, o) => {
  const lr = num(o, 'learningRate', 1e-2),
    alpha = num(o, 'alpha', 0.99),
    eps = num(o, 'epsilon', 1e-8),
    lambda = num(o, 'weightDecay', 0),
    mu = num(o, 'momentum', 0);
  const theta = [...theta0],
    v = zeros(theta.length),
    gAve = zeros(theta.length),
    b = zeros(theta.length),
    out: number[][] = [];
  for (const grad of gradients) {
    for (let i = 0; i < theta.length; i++) {
      let g = o.maximize ? -grad[i] : grad[i];
      if (lambda !== 0) g = g + lambda * theta[i];
      v[i] = alpha * v[i] + (1 - alpha) * g * g;
      let vTilde = v[i];
      if (o.centered) {
        gAve[i] = gAve[i] * alpha + (1 - alpha) * g;
        vTilde = vTilde - gAve[i] * gAve[i];
      }
      if (mu > 0) {
        b[i] = mu * b[i] + g / (Math.sqrt(vTilde) + eps);
        theta[i] = theta[i] - lr * b[i];
      } else {
        theta[i] = theta[i] - (lr * g) / (Math.sqrt(vTilde) + eps);
      }
    }
    out.push([...theta]);
  }
  return out;
};

const adagrad: Reference = (theta0, gradients, o) => {
  const lr = num(o, 'learningRate', 1e-2),
    eta = num(o, 'lrDecay', 0),
    lambda = num(o, 'weightDecay', 0),
    eps = num(o, 'epsilon', 1e-10);
  const theta = [...theta0],
    sum = new Array<number>(theta.length).fill(num(o, 'initialAccumulatorValue', 0)),
    out: number[][] = [];
  gradients.forEach((grad, index) => {
    const t = index + 1;
    const gammaTilde = lr / (1 + (t - 1) * eta);
    for (let i = 0; i < theta.length; i++) {
      let g = o.maximize ? -grad[i] : grad[i];
      if (lambda !== 0) g = g + lambda * theta[i];
      sum[i] = sum[i] + g * g;
      theta[i] = theta[i] - (gammaTilde * g) / (Math.sqrt(sum[i]) + eps);
    }
    out.push([...theta]);
  });
  return out;
};

const adadelta: Reference = (theta0, gradients, o) => {
  const lr = num(o, 'learningRate', 1),
    rho = num(o, 'rho', 0.9),
    eps = num(o, 'epsilon', 1e-6),
    lambda = num(o, 'weightDecay', 0);
  const theta = [...theta0],
    v = zeros(theta.length),
    u = zeros(theta.length),
    out: number[][] = [];
  for (const grad of gradients) {
    for (let i = 0; i < theta.length; i++) {
      let g = o.maximize ? -grad[i] : grad[i];
      if (lambda !== 0) g = g + lambda * theta[i];
      v[i] = v[i] * rho + g * g * (1 - rho);
      const delta = (Math.sqrt(u[i] + eps) / Math.sqrt(v[i] + eps)) * g;
      u[i] = u[i] * rho + delta * delta * (1 - rho);
      theta[i] = theta[i] - lr * delta;
    }
    out.push([...theta]);
  }
  return out;
};

const adamax: Reference = (theta0, gradients, o) => {
  const lr = num(o, 'learningRate', 2e-3),
    b1 = num(o, 'beta1', 0.9),
    b2 = num(o, 'beta2', 0.999),
    eps = num(o, 'epsilon', 1e-8),
    lambda = num(o, 'weightDecay', 0);
  const theta = [...theta0],
    m = zeros(theta.length),
    u = zeros(theta.length),
    out: number[][] = [];
  gradients.forEach((grad, index) => {
    const t = index + 1;
    for (let i = 0; i < theta.length; i++) {
      let g = o.maximize ? -grad[i] : grad[i];
      if (lambda !== 0) g = g + lambda * theta[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      u[i] = Math.max(b2 * u[i], Math.abs(g) + eps);
      theta[i] = theta[i] - (lr * m[i]) / ((1 - b1 ** t) * u[i]);
    }
    out.push([...theta]);
  });
  return out;
};

/**
 * The lines NAdam's and RAdam's documented loops share, for each step t and element i: weight
 * decay, then the moments; `finish` applies the optimizer's own last lines to θ[i].
 */
function momentReference(
  theta0: number[],
  gradients: number[][],
  o: Options,
  hyper: { lr: number; lambda: number; b1: number; b2: number },
  finish: (theta: number[], i: number, g: number, m: number, v: number, t: number) => void,
): number[][] {
  const theta = [...theta0],
    m = zeros(theta.length),
    v = zeros(theta.length),
    out: number[][] = [];
  gradients.forEach((grad, index) => {
    for (let i = 0; i < theta.length; i++) {
      const g = decayedGradient(theta, i, grad[i], o, hyper.lr, hyper.lambda);
      updateMoments(m, v, i, g, hyper.b1, hyper.b2);
      finish(theta, i, g, m[i], v[i], index + 1);
    }
    out.push([...theta]);
  });
  return out;
}

const nadam: Reference = (theta0, gradients, o) => {
  const lr = num(o, 'learningRate', 2e-3),
    b1 = num(o, 'beta1', 0.9),
    b2 = num(o, 'beta2', 0.999),
    eps = num(o, 'epsilon', 1e-8);
  const lambda = num(o, 'weightDecay', 0),
    psi = num(o, 'momentumDecay', 4e-3);
  const muOf = (t: number) => b1 * (1 - 0.5 * 0.96 ** (t * psi));
  const product = (t: number) => {
    let p = 1;
    for (let i = 1; i <= t; i++) p *= muOf(i);
    return p;
  };
  return momentReference(theta0, gradients, o, { lr, lambda, b1, b2 }, (theta, i, g, m, v, t) => {
    const mHat = (muOf(t + 1) * m) / (1 - product(t + 1)) + ((1 - muOf(t)) * g) / (1 - product(t));
    const vHat = v / (1 - b2 ** t);
    theta[i] = theta[i] - (lr * mHat) / (Math.sqrt(vHat) + eps);
  });
};

const radam: Reference = (theta0, gradients, o) => {
  const lr = num(o, 'learningRate', 1e-3),
    b1 = num(o, 'beta1', 0.9),
    b2 = num(o, 'beta2', 0.999),
    eps = num(o, 'epsilon', 1e-8),
    lambda = num(o, 'weightDecay', 0);
  const rhoInf = 2 / (1 - b2) - 1;
  return momentReference(theta0, gradients, o, { lr, lambda, b1, b2 }, (theta, i, _g, m, v, t) => {
    const mHat = m / (1 - b1 ** t);
    const rhoT = rhoInf - (2 * t * b2 ** t) / (1 - b2 ** t);
    if (rhoT > 5) {
      const l = Math.sqrt(1 - b2 ** t) / (Math.sqrt(v) + eps);
      const r = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      theta[i] = theta[i] - lr * mHat * r * l;
    } else {
      theta[i] = theta[i] - lr * mHat;
    }
  });
};

const lion: Reference = (theta0, gradients, o) => {
  const eta = num(o, 'learningRate', 1e-4),
    b1 = num(o, 'beta1', 0.9),
    b2 = num(o, 'beta2', 0.99),
    lambda = num(o, 'weightDecay', 0);
  const theta = [...theta0],
    m = zeros(theta.length),
    out: number[][] = [];
  for (const grad of gradients) {
    for (let i = 0; i < theta.length; i++) {
      const g = o.maximize ? -grad[i] : grad[i];
      const c = b1 * m[i] + (1 - b1) * g;
      theta[i] = theta[i] - eta * (Math.sign(c) + lambda * theta[i]);
      m[i] = b2 * m[i] + (1 - b2) * g;
    }
    out.push([...theta]);
  }
  return out;
};

interface Case {
  readonly label: string;
  readonly create: (options: Options) => Optimizer<never>;
  readonly reference: Reference;
  readonly options: readonly Options[];
}

const cases: readonly Case[] = [
  {
    label: 'SGD',
    create: (o) => new SGD(o) as never,
    reference: sgd,
    options: [
      { learningRate: 0.05 },
      { learningRate: 0.05, momentum: 0.9 },
      { learningRate: 0.05, momentum: 0.8, dampening: 0.1, weightDecay: 0.01 },
      { learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.02 },
      { learningRate: 0.05, maximize: true, weightDecay: 0.1, momentum: 0.5 },
    ],
  },
  {
    label: 'Adam',
    create: (o) => new Adam(o) as never,
    reference: adam(false),
    options: [
      { learningRate: 0.01 },
      { learningRate: 0.01, amsgrad: true, weightDecay: 0.05 },
      { learningRate: 0.02, beta1: 0.8, beta2: 0.95, epsilon: 1e-3, maximize: true },
    ],
  },
  {
    label: 'AdamW',
    create: (o) => new AdamW(o) as never,
    reference: adam(true),
    options: [{ learningRate: 0.01 }, { learningRate: 0.01, amsgrad: true, weightDecay: 0.1 }],
  },
  {
    label: 'RMSprop',
    create: (o) => new RMSprop(o) as never,
    reference: rmsprop,
    options: [
      {},
      { learningRate: 0.001, momentum: 0.9 },
      { learningRate: 0.001, centered: true, momentum: 0.5, weightDecay: 0.01, alpha: 0.9 },
      { centered: true, maximize: true },
    ],
  },
  {
    label: 'Adagrad',
    create: (o) => new Adagrad(o) as never,
    reference: adagrad,
    options: [
      { learningRate: 0.1 },
      { learningRate: 0.1, lrDecay: 0.05, initialAccumulatorValue: 0.1, weightDecay: 0.01, maximize: true },
    ],
  },
  {
    label: 'Adadelta',
    create: (o) => new Adadelta(o) as never,
    reference: adadelta,
    options: [{}, { rho: 0.5, epsilon: 1e-4, weightDecay: 0.01, maximize: true }],
  },
  {
    label: 'Adamax',
    create: (o) => new Adamax(o) as never,
    reference: adamax,
    options: [{}, { learningRate: 0.02, weightDecay: 0.05, beta1: 0.7 }],
  },
  {
    label: 'NAdam',
    create: (o) => new NAdam(o) as never,
    reference: nadam,
    options: [
      {},
      { learningRate: 0.01, weightDecay: 0.05 },
      { learningRate: 0.01, weightDecay: 0.05, decoupledWeightDecay: true, momentumDecay: 0.01 },
    ],
  },
  {
    label: 'RAdam',
    create: (o) => new RAdam(o) as never,
    reference: radam,
    options: [
      { learningRate: 0.01 },
      { learningRate: 0.01, weightDecay: 0.05, beta2: 0.9 },
      { learningRate: 0.01, weightDecay: 0.05, decoupledWeightDecay: true, beta2: 0.8, maximize: true },
    ],
  },
  {
    label: 'Lion',
    create: (o) => new Lion(o) as never,
    reference: lion,
    options: [{ learningRate: 0.001 }, { learningRate: 0.001, weightDecay: 0.1, beta1: 0.95, beta2: 0.98 }],
  },
];

const steps = 12;
const shape = [3, 4];

describe.each(cases)("$label follows PyTorch's documented algorithm", ({ create, reference, options }) => {
  it.each(options.map((option) => [JSON.stringify(option), option] as const))(
    'over 12 steps on a [3, 4] parameter with %s',
    (_label, option) => {
      const theta0 = initialValues(12, 7);
      const gradients = variedGradients(steps, 12, 11);
      const expected = reference(theta0, gradients, option);
      // 'simd': float32 in a WebAssembly memory, so the optimizer runs its SIMD kernels (float32 arithmetic).
      for (const dtype of ['float64', 'float32', 'simd'] as const) {
        const parameter =
          dtype === 'simd'
            ? testMemory().parameter('layer.weights', shape, theta0)
            : makeParameter('layer.weights', shape, theta0, dtype);
        const optimizer = create(option);
        gradients.forEach((gradient, step) => {
          parameter.grad.set(gradient);
          optimizer.step([parameter]);
          // float64 parameters agree to rounding; float32 ones to float32 storage of θ and the state.
          expect(maxDifference(parameter.value, expected[step])).toBeLessThan(dtype === 'float64' ? 1e-12 : 1e-6);
        });
      }
    },
  );
});
