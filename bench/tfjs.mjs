// TensorFlow.js side of the bnlab benchmark: the same MLPs as bnlab, trained with
// TensorFlow.js 4 (backends 'cpu' and 'wasm') so that steps per second can be compared.
//
// Model (as bnlab's Mlp): per hidden layer
//   bn false:    Dense(width, bias, activation)   (tf.js fuses the bias add, and relu, into the matmul)
//   bn 'before': Dense(width, no bias) -> BatchNormalization -> activation
// then Dense(classes) logits with bias, softmax cross-entropy averaged over the batch,
// plain SGD. Weights ~ N(0, initStd^2) (output layer included), biases 0, gamma 1, beta 0.
// BN: momentum 0.9 in Keras' convention (= PyTorch's / bnlab's 0.1), epsilon 1e-5.
//
// A training step is a custom step: optimizer.minimize(loss, true, trainableVars) inside
// tf.tidy, the model called with model.apply(x, { training: true }) so that BN normalizes with
// batch statistics and updates its moving statistics. model.trainOnBatch (same model, loss
// given as a function) ran the same work at the same speed within noise on all 12 cases
// (3 models x bn x cpu/wasm, interleaved runs); minimize is kept because it is synchronous
// (trainOnBatch returns a Promise and re-validates its inputs on every call).
// step() ends with loss.dataSync(), which returns only once the whole step (forward, backward
// and the SGD update, all issued before the read) has been executed, and returns the loss as a
// number, synchronously -- what a training loop that reports its loss does. On cpu and wasm the
// kernels run synchronously anyway, so the read adds only a copy of one float.
//
// The mini-batches (inputs ~ N(0, 1), labels uniform over the classes) are generated once,
// NUM_BATCHES of them, as tensors, and step() cycles through them: data generation is not timed.
//
// In Node the cpu backend prints a one-time "Hi, looks like you are running TensorFlow.js in
// Node.js" banner at its first tensor upload; setBackend('cpu') suppresses just that banner
// (see quietCpuBanner). Nothing else is silenced.

import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
// CommonJS entry points (dist/*.node.js): one shared tfjs-core engine for tfjs and the wasm backend.
const tf = require('@tensorflow/tfjs');
const tfWasm = require('@tensorflow/tfjs-backend-wasm');

const NUM_BATCHES = 20;
const ACTIVATIONS = new Set(['tanh', 'sigmoid', 'relu']);

let wasmPathsSet = false;

// Silences the cpu backend's one-time Node.js banner by marking the backend as already used.
// (tf.enableProdMode() would also silence it, but it silences every other tf.js warning too.)
function quietCpuBanner() {
  const b = tf.findBackend('cpu');
  if (b && 'firstUse' in b) b.firstUse = false;
}

export async function setBackend(backend) {
  if (backend !== 'wasm' && backend !== 'cpu') {
    throw new Error(`tfjs backend must be 'wasm' or 'cpu', not ${JSON.stringify(backend)}`);
  }
  if (backend === 'wasm' && !wasmPathsSet) {
    // In Node the wasm backend is single-threaded (tf.js disables its threads there); it
    // loads tfjs-backend-wasm-simd.wasm when WebAssembly SIMD is available, which it is in Node 16+.
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    tfWasm.setWasmPaths(dist + path.sep);
    wasmPathsSet = true;
  }
  if (tf.getBackend() !== backend || !tf.findBackend(backend)) {
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`tf.setBackend('${backend}') failed`);
  }
  await tf.ready();
  if (backend === 'cpu') quietCpuBanner();
  return tf.getBackend();
}

function checkConfig(config) {
  const c = { ...config };
  if (!Number.isInteger(c.inputs) || c.inputs < 1) throw new Error('config.inputs: positive integer');
  if (!Array.isArray(c.hidden) || !c.hidden.every((w) => Number.isInteger(w) && w >= 1)) {
    throw new Error('config.hidden: array of positive integers');
  }
  if (!ACTIVATIONS.has(c.activation)) throw new Error(`config.activation: one of ${[...ACTIVATIONS]}`);
  if (!Number.isInteger(c.classes) || c.classes < 2) throw new Error('config.classes: integer >= 2');
  if (!Number.isInteger(c.batchSize) || c.batchSize < 1) throw new Error('config.batchSize: positive integer');
  if (c.bn !== false && c.bn !== 'before') throw new Error("config.bn: false or 'before'");
  if (!(c.learningRate > 0)) throw new Error('config.learningRate: > 0');
  if (!(c.initStd > 0)) throw new Error('config.initStd: > 0');
  return c;
}

function buildModel(c) {
  // Seeded (config.seed, default 1) so that a run is repeatable; one seed per layer.
  let layerSeed = 1000 * (Number.isInteger(c.seed) ? c.seed : 1);
  const init = () => tf.initializers.randomNormal({ mean: 0, stddev: c.initStd, seed: ++layerSeed });
  const model = tf.sequential();
  c.hidden.forEach((width, i) => {
    const inputShape = i === 0 ? { inputShape: [c.inputs] } : {};
    if (c.bn === 'before') {
      model.add(tf.layers.dense({ units: width, useBias: false, kernelInitializer: init(), ...inputShape }));
      model.add(tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5 }));
      model.add(tf.layers.activation({ activation: c.activation }));
    } else {
      model.add(
        tf.layers.dense({
          units: width,
          useBias: true,
          activation: c.activation,
          kernelInitializer: init(),
          biasInitializer: 'zeros',
          ...inputShape,
        }),
      );
    }
  });
  model.add(
    tf.layers.dense({
      units: c.classes,
      useBias: true,
      kernelInitializer: init(),
      biasInitializer: 'zeros',
      ...(c.hidden.length === 0 ? { inputShape: [c.inputs] } : {}),
    }),
  );
  return model;
}

// batches: array of { x: (B, inputs) float32, y: (B, classes) one-hot float32 } tensors,
// owned by the trainer from now on.
function makeTrainer(c, batches) {
  const model = buildModel(c);
  const optimizer = tf.train.sgd(c.learningRate);
  const vars = model.trainableWeights.map((w) => w.read());
  let next = 0;
  let disposed = false;

  const lossOf = (x, y) => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }));

  return {
    model,
    // One training step on the next mini-batch; returns the batch's loss (a number) after the
    // update has been executed.
    step() {
      const { x, y } = batches[next];
      next = (next + 1) % batches.length;
      const loss = tf.tidy(() => optimizer.minimize(() => lossOf(x, y), true, vars));
      const value = loss.dataSync()[0];
      loss.dispose();
      return value;
    },
    // Accuracy of the model in inference mode (BN with its moving statistics) on x / labels.
    accuracy(x, labels) {
      return tf.tidy(() => {
        const pred = model.predict(x).argMax(-1);
        return pred.equal(labels).cast('float32').mean().dataSync()[0];
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const { x, y } of batches) tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
    },
  };
}

// Random mini-batches: inputs ~ N(0, 1), labels uniform over the classes (one-hot).
function randomBatches(c, count, seed) {
  const batches = [];
  for (let i = 0; i < count; ++i) {
    batches.push(
      tf.tidy(() => {
        const x = tf.randomNormal([c.batchSize, c.inputs], 0, 1, 'float32', seed + 2 * i);
        const labels = tf
          .randomUniform([c.batchSize], 0, c.classes, 'float32', seed + 2 * i + 1)
          .floor()
          .clipByValue(0, c.classes - 1)
          .cast('int32');
        return { x, y: tf.oneHot(labels, c.classes).cast('float32') };
      }),
    );
  }
  return batches;
}

// backend: 'wasm' | 'cpu'. config: { inputs, hidden, activation, classes, batchSize, bn,
// learningRate, initStd }. Returns { step(), dispose(), model }; step() is synchronous and
// returns the loss, so `await trainer.step()` works too.
export async function createTfjsTrainer(backend, config) {
  await setBackend(backend);
  const c = checkConfig(config);
  const seed = Number.isInteger(config.seed) ? config.seed : 1;
  return makeTrainer(c, randomBatches(c, NUM_BATCHES, seed));
}

// Trains the 2-input TensorFlow-Playground-size model ([8, 8], tanh, batch 10, 2 classes) on the
// cpu backend on a linearly separable toy set (200 points ~ N(0, 1)^2, class = [x0 + x1 > 0]),
// 300 steps, once without BN and once with BN before the activation. Returns the lower of the two
// final training accuracies (inference mode, all 200 points); it must be > 0.9.
export async function selfCheck() {
  const previous = tf.getBackend();
  await setBackend('cpu');
  const n = 200,
    batchSize = 10,
    steps = 300;
  const pts = [];
  let s = 12345;
  const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  for (let i = 0; i < n; ++i) {
    const a = normal(),
      b = normal();
    if (Math.abs(a + b) < 0.1) {
      --i;
      continue;
    } // a small margin
    pts.push([a, b, a + b > 0 ? 1 : 0]);
  }
  let worst = 1;
  for (const bn of [false, 'before']) {
    const c = checkConfig({
      inputs: 2,
      hidden: [8, 8],
      activation: 'tanh',
      classes: 2,
      batchSize,
      bn,
      learningRate: 0.1,
      initStd: 0.5,
    });
    const batches = [];
    for (let i = 0; i < n; i += batchSize) {
      const rows = pts.slice(i, i + batchSize);
      batches.push({
        x: tf.tensor2d(
          rows.map((r) => [r[0], r[1]]),
          [rows.length, 2],
          'float32',
        ),
        y: tf.tidy(() =>
          tf
            .oneHot(
              tf.tensor1d(
                rows.map((r) => r[2]),
                'int32',
              ),
              2,
            )
            .cast('float32'),
        ),
      });
    }
    const trainer = makeTrainer(c, batches);
    for (let i = 0; i < steps; ++i) trainer.step();
    const x = tf.tensor2d(
      pts.map((r) => [r[0], r[1]]),
      [n, 2],
      'float32',
    );
    const labels = tf.tensor1d(
      pts.map((r) => r[2]),
      'int32',
    );
    const acc = trainer.accuracy(x, labels);
    tf.dispose([x, labels]);
    trainer.dispose();
    worst = Math.min(worst, acc);
  }
  if (previous === 'wasm') await setBackend(previous);
  return worst;
}
