// The lessons. Each has its settings (variants: changes to the defaults, each a
// share link), a pace (steps per second) at which its point fills the charts, a horizon (the
// step at which it pauses by itself), and claims: the sentences it states about the run, each a
// predicate on the recorded numbers (claims.js). `held` is how many of seeds 1-20 the claim
// holds for at the horizon: tests/wasm/lessons.test.mjs checks that figure, and the page shows
// it next to the claim's verdict for the run at hand.
import {
  accuracyAtLeast,
  accuracyAtMost,
  accuracyAtStep,
  aloneIsBeta,
  batchStatsAccuracyAtLeast,
  inferenceLags,
  driftsMore,
  jitterFollowsBatchSize,
  lossGapAtLeast,
  modesDiffer,
  saturatesMore,
  gradientReaches,
  gradientVanishes,
  shiftsMore,
  staysAbove,
  accuracyWithin,
  noModeGap,
  smootherLoss,
  gradientMorePredictive,
  lossGapSmaller,
  testLossLower,
} from './claims.js';
import figure1 from './figure1.json' with { type: 'json' };

export const SEEDS = 20; // claims are tested on seeds 1..SEEDS

// The default experiment is a lesson too: what the page says about it holds at its horizon.
export const DEFAULT_LESSON = {
  id: 'default',
  title: 'Plain against BN on the spiral',
  text:
    'A 4-layer sigmoid network on the spiral, plain against BN before the activation, from ' +
    'the same weights on the same mini-batches.',
  pace: 500,
  horizon: 10000,
  variants: [{ label: 'run it', config: {} }],
  claims: [
    { ...accuracyAtLeast('bn-before', 0.8, 'finds the spiral'), held: 20 },
    { ...accuracyAtMost('plain', 0.6), held: 20 },
  ],
};

export const LESSONS = [
  {
    id: 'vanishing',
    title: 'Vanishing gradients',
    text:
      "Six sigmoid layers started from small Gaussian weights. A sigmoid's derivative is at " +
      'most ¼ and the weights are small, so the gradient shrinks layer by layer on its way ' +
      "back. With BN every layer's input is rescaled before the sigmoid, and the gradient " +
      'reaches the first layers.',
    pace: 250,
    horizon: 5000,
    variants: [
      {
        label: 'run it',
        config: { dataset: 'circle', samples: 800, hidden: [16, 16, 16, 16, 16, 16], batchSize: 64, learningRate: 0.5 },
      },
    ],
    claims: [
      { ...gradientVanishes('plain', 0.01), held: 20 },
      { ...gradientReaches('bn-before', 0.1), held: 20 },
      { ...accuracyAtMost('plain', 0.6), held: 20 },
      { ...accuracyAtLeast('bn-before', 0.9, 'finds the circle'), held: 20 },
      { ...staysAbove('bn-before', 0.85, 2500), held: 20 },
    ],
  },
  {
    id: 'rescaling',
    title: 'Rescaling the inputs',
    text:
      'Height in metres next to weight in kilograms: one feature spreads over 0.5, the other ' +
      "over 80. BN normalizes the first layer's inputs the way standardizing normalizes the " +
      'data. Compare the raw inputs with the standardized ones.',
    pace: 250,
    horizon: 5000,
    variants: [
      {
        label: 'raw inputs',
        // Seed 1 is one of the two on which the running statistics do not lag by 5 points.
        config: { dataset: 'scales', hidden: [16, 16], init: 'xavier', learningRate: 0.5, seed: 2 },
        claims: [
          { ...accuracyAtMost('plain', 0.6, 'cannot learn on raw inputs'), held: 20 },
          { ...batchStatsAccuracyAtLeast('bn-before', 0.85, 'learns even on raw inputs'), held: 16 },
          { ...inferenceLags('bn-before', 0.05), held: 18 },
        ],
      },
      {
        label: 'standardized',
        config: { dataset: 'scales', hidden: [16, 16], init: 'xavier', learningRate: 0.5, standardize: true },
        claims: [
          { ...accuracyAtLeast('plain', 0.9, 'learns on standardized inputs'), held: 20 },
          { ...accuracyAtLeast('bn-before', 0.9, 'learns too'), held: 20 },
        ],
      },
    ],
  },
  {
    id: 'covariate-shift',
    title: 'Internal covariate shift',
    text:
      "Ioffe and Szegedy's Figure 1: the 15th, 50th and 85th percentiles of the input to one " +
      "sigmoid of the last layer while the network trains, and below them how far the layer's " +
      'input distribution moves. BN normalizes that input by the batch mean and variance, so it ' +
      'moves only as γ, β and the batch statistics change. Both networks learn here, so the ' +
      'comparison is fair. What this small network shows: early on, while the layers below ' +
      "learn fast, the plain network's last layer input moves far more than BN's; once plain " +
      "has learned, its inputs settle, while BN's keep moving, as Santurkar et al. (2018) " +
      'found: BN does not necessarily reduce internal covariate shift.',
    pace: 250,
    horizon: 5000,
    variants: [
      { label: 'run it', config: { dataset: 'circle', hidden: [16, 16, 16, 16, 16, 16], initStd: 1, learningRate: 1 } },
    ],
    claims: [
      { ...accuracyAtLeast('plain', 0.9), held: 20 },
      { ...accuracyAtLeast('bn-before', 0.9), held: 20 },
      { ...shiftsMore('plain', 'bn-before', 1), held: 20 },
      // Once plain has learned its inputs settle, while BN's keep moving.
      { ...shiftsMore('bn-before', 'plain', 1, { from: 0.5 }), held: 20 },
      { ...driftsMore('plain', 'bn-before', 1), held: 11 },
    ],
  },
  {
    id: 'noisy-bn',
    title: 'Is it covariate shift?',
    text:
      "Santurkar et al. (2018) asked whether BN helps because it keeps the layers' input " +
      'distributions still. Noisy BN is BN followed by a random shift and scale of every unit, ' +
      'redrawn at every step: its distributions move more than those of a network without BN, ' +
      'yet in their Figure 2 it trains about as well as BN. Here the same experiment on the ' +
      'network of the covariate-shift lesson: compare the percentile bands and the shift chart, ' +
      'and the accuracies.',
    pace: 250,
    horizon: 5000,
    variants: [
      {
        label: 'run it',
        config: {
          dataset: 'circle',
          hidden: [16, 16, 16, 16, 16, 16],
          initStd: 1,
          learningRate: 1,
          arms: ['plain', 'bn-before', 'bn-noisy'],
        },
      },
    ],
    claims: [
      { ...shiftsMore('bn-noisy', 'plain', 1), held: 19 },
      { ...shiftsMore('bn-noisy', 'bn-before', 5), held: 20 },
      { ...accuracyAtLeast('bn-noisy', 0.8), held: 20 },
      { ...accuracyWithin('bn-noisy', 'bn-before', 0.1), held: 16 },
    ],
  },
  {
    id: 'landscape',
    title: 'A smoother landscape?',
    text:
      "Santurkar et al.'s other finding (their Figure 4): at every recorded step, step along " +
      'the gradient g by η = ¼ to 4 learning rates and measure the loss L(W − ηg) and the ' +
      'gradient there on the same mini-batch. A smooth landscape keeps the loss band narrow and ' +
      'the gradient predictive (‖∇L(W − ηg) − g‖ small). The last two charts of the Gradients ' +
      'view show both bands per network. The claims compare the two networks while both are ' +
      'still learning (the first fifth of the run) and after plain has learned the circle (the ' +
      'second half), when its loss and gradient are close to zero and its landscape is flat ' +
      'wherever it steps.',
    pace: 250,
    horizon: 5000,
    variants: [
      {
        label: 'run it',
        config: { dataset: 'circle', hidden: [16, 16, 16, 16, 16, 16], initStd: 1, learningRate: 1, landscape: true },
      },
    ],
    claims: [
      { ...smootherLoss('bn-before', 'plain', [0, 0.2]), held: 20 },
      { ...gradientMorePredictive('bn-before', 'plain', [0, 0.2]), held: 20 },
      { ...smootherLoss('plain', 'bn-before', [0.5, 1]), held: 20 },
      { ...gradientMorePredictive('plain', 'bn-before', [0.5, 1]), held: 20 },
    ],
  },
  {
    id: 'layer-norm',
    title: 'Batch statistics against per-example statistics',
    text:
      'BN normalizes each unit over the mini-batch; LayerNorm (Ba et al. 2016) normalizes each ' +
      "example over its own layer's units. So LayerNorm's output for an example does not " +
      "depend on the rest of its batch: no same-example jitter (the jitter chart under BN's " +
      'noise shows BN alone), nothing to average for inference, and no difference between ' +
      "training and inference mode, at any batch size; the claims check LayerNorm's answer " +
      "for one example alone. Batches of 4 show BN's side of it. On the circle LayerNorm fails: with two inputs, " +
      "normalizing the first layer over its units divides out the input's size, and the " +
      'distance from the centre is what tells the classes apart.',
    pace: 250,
    horizon: 5000,
    variants: [
      {
        label: 'xor',
        config: { dataset: 'xor', hidden: [16, 16], batchSize: 4, learningRate: 0.1, arms: ['bn-before', 'ln-before'] },
        claims: [
          { ...accuracyAtLeast('ln-before', 0.8), held: 20 },
          { ...noModeGap('ln-before'), held: 20 },
          { ...modesDiffer('bn-before', 0.05), held: 20 },
          { ...aloneIsBeta('bn-before'), held: 20 },
        ],
      },
      {
        label: 'circle',
        config: {
          dataset: 'circle',
          hidden: [16, 16],
          batchSize: 4,
          learningRate: 0.1,
          arms: ['bn-before', 'ln-before'],
        },
        claims: [
          { ...accuracyAtMost('ln-before', 0.6, 'cannot find the circle'), held: 20 },
          { ...accuracyAtLeast('bn-before', 0.8), held: 19 },
          { ...noModeGap('ln-before'), held: 20 },
        ],
      },
    ],
  },
  {
    id: 'dropout',
    title: 'Noise like dropout',
    text:
      "Ioffe and Szegedy report that BN's mini-batch noise regularizes, so that dropout can be " +
      'reduced or removed. On 30 noisy training examples a wide ReLU network learns them by heart: ' +
      "its test loss climbs far above its training loss. Dropout (half of each hidden layer's " +
      "outputs zeroed at every step) and BN (each example normalized with its batch's " +
      'statistics) both add noise to training; compare the gaps between the solid (training) and ' +
      'dashed (test) loss lines, both measured with the noise off, as at inference. The claims ' +
      'say whether each also lowers the test loss itself, or only narrows the gap.',
    pace: 250,
    horizon: 5000,
    variants: [
      {
        label: 'run it',
        config: {
          dataset: 'xor',
          samples: 60,
          noise: 0.4,
          hidden: [128, 128],
          activation: 'relu',
          init: 'he',
          learningRate: 0.05,
          batchSize: 10,
          dropout: 0.5,
          arms: ['plain', 'bn-before', 'dropout'],
          seed: 2,
        },
      },
    ],
    // Seed 1 is one of the four where dropout's test loss is not the lower; the count stays 16.
    claims: [
      { ...lossGapSmaller('dropout', 'plain'), held: 17 },
      { ...testLossLower('dropout', 'plain'), held: 16 },
      { ...testLossLower('bn-before', 'plain'), held: 20 },
      { ...lossGapSmaller('bn-before', 'plain'), held: 20 },
      { ...lossGapSmaller('bn-before', 'dropout'), held: 19 },
    ],
  },
  {
    id: 'batch-noise',
    title: 'Regularization noise and batch size',
    text:
      'The same network at three batch sizes. Each mini-batch has its own mean and variance, so ' +
      'the same example is normalized differently every time — the jitter plot — and the spread ' +
      'of the batch mean follows σ/√B.',
    pace: 250,
    horizon: 5000,
    variants: [4, 32, 256].map((batchSize) => ({
      label: `batch ${batchSize}`,
      config: {
        dataset: 'circle',
        samples: 600,
        noise: 0.3,
        batchSize,
        learningRate: 0.5,
        hidden: [32, 32, 32],
        probeExamples: 300,
      },
      claims: [
        { ...jitterFollowsBatchSize('bn-before'), held: 20 },
        batchSize === 4
          ? { ...accuracyAtMost('bn-before', 0.7, 'learns poorly with this much noise'), held: 18 }
          : { ...accuracyAtLeast('bn-before', 0.7), held: batchSize === 256 ? 18 : 20 },
        ...(batchSize === 256 ? [{ ...lossGapAtLeast('bn-before', 0.05), held: 19 }] : []),
      ],
    })),
  },
  {
    id: 'placement',
    title: 'BN before or after the activation',
    text:
      'The paper normalizes the input of the nonlinearity, z = g(BN(Wu)); normalizing its ' +
      'output instead leaves the sigmoid free to saturate. Compare the saturated units and the ' +
      'percentile bands of the two BN networks.',
    pace: 500,
    horizon: 10000,
    variants: [{ label: 'run it', config: { arms: ['plain', 'bn-before', 'bn-after'] } }],
    claims: [
      { ...saturatesMore('bn-after', 'bn-before'), held: 20 },
      { ...accuracyAtLeast('bn-before', 0.8), held: 20 },
    ],
  },
  {
    id: 'figure1',
    title: 'Ioffe & Szegedy 2015, Figure 1',
    text:
      "The paper's first figure, on handwritten digits: three fully connected hidden layers of " +
      '100 sigmoids from small random Gaussian weights, a 10-way softmax, mini-batches of 60, and ' +
      "BN before each nonlinearity. (a) Test accuracy against steps is the last chart of BN's " +
      'noise view (solid lines); (b, c) are the 15th, 50th and 85th percentiles of the input to ' +
      'one sigmoid of the last hidden layer, under Internal covariate shift. The paper gives no ' +
      'learning rate; 0.5 shows the effect.',
    pace: 100,
    horizon: 2000,
    variants: [{ label: 'run it', config: figure1 }],
    claims: [
      { ...accuracyAtStep('bn-before', 200, { min: 0.9 }), held: 19 },
      { ...accuracyAtStep('plain', 200, { max: 0.5 }), held: 20 },
      { ...accuracyAtLeast('bn-before', 0.95, 'ends higher'), held: 20 },
      { ...driftsMore('plain', 'bn-before', 2), held: 18 },
    ],
  },
  {
    id: 'inference',
    title: 'Training mode against inference mode',
    text:
      "In training mode BN normalizes with the batch's statistics. One example alone is its " +
      'own batch: its mean is itself, its variance zero, so every BN output is β and every ' +
      'input gets the same answer (the line under the last chart). Running averages of the ' +
      'batch statistics are what inference uses instead; with small batches the two modes ' +
      'differ most.',
    pace: 250,
    horizon: 5000,
    variants: [{ label: 'run it', config: { dataset: 'circle', hidden: [16, 16], batchSize: 4, learningRate: 0.1 } }],
    claims: [
      { ...accuracyAtLeast('bn-before', 0.8), held: 19 },
      { ...modesDiffer('bn-before', 0.05), held: 20 },
      { ...aloneIsBeta('bn-before'), held: 20 },
    ],
  },
];

// A lesson by its id (the default experiment's too).
export const findLesson = (id) => (id === DEFAULT_LESSON.id ? DEFAULT_LESSON : LESSONS.find((s) => s.id === id));

// The lesson a validated configuration is: the variant of the named lesson (or, with no
// lesson named, of the default lesson) whose settings it has, whatever its seed (claims are
// tested over seeds). Returns { lesson, variant } (variant: its index), or { modifiedFrom }
// when a named lesson's settings were changed, or {} for a run that is no lesson.
export function matchLesson(config, lessonId, defaults) {
  const named = lessonId ? findLesson(lessonId) : DEFAULT_LESSON;
  if (!named) return {};
  const same = (a, b) => (Array.isArray(a) ? Array.isArray(b) && a.join() === b.join() : a === b);
  const variant = named.variants.findIndex((v) => {
    const expected = { ...defaults, ...v.config };
    return Object.keys(defaults).every((k) => k === 'seed' || same(config[k], expected[k]));
  });
  if (variant >= 0) return { lesson: named, variant };
  return lessonId ? { modifiedFrom: named } : {};
}

// The claims of a lesson's variant: its own, or the lesson's.
export const variantClaims = (lesson, variant) => variant.claims ?? lesson.claims;
