// Guided scenarios: share links with a few sentences each. A scenario's settings are changes
// to the defaults; its link (made with the schema) writes every field, like any share link.
// Each was run with bnlab-run before it was written down; the numbers quoted are from there.
import figure1 from './figure1.json';

export const SCENARIOS = [
  {
    id: 'vanishing',
    title: 'Vanishing gradients',
    view: 'view-gradients',
    text: 'Six sigmoid layers started from small Gaussian weights. A sigmoid\'s derivative is at '
      + 'most ¼ and the weights are small, so the gradient shrinks layer by layer on its way '
      + 'back: in the plain network the first layer\'s gradient is orders of magnitude smaller '
      + 'than the last one\'s, and it stays at chance. With BN every layer\'s input is rescaled, '
      + 'the gradients keep their size, and the circle is found within seconds.',
    variants: [{ label: 'run it', config: { dataset: 'circle', hidden: [16, 16, 16, 16, 16, 16], learningRate: 1 } }],
  },
  {
    id: 'rescaling',
    title: 'Rescaling the inputs',
    view: 'view-boundary',
    text: 'Height in metres next to weight in kilograms: one feature spreads over 0.5, the other '
      + 'over 80. On the raw inputs the plain network cannot learn; standardizing the inputs '
      + 'fixes it. BN normalizes the first layer\'s inputs the same way, so it learns even on raw '
      + 'inputs — but compare its accuracy with batch statistics and with running statistics in '
      + 'the last view: weights facing a feature of size 80 move fast, and the running averages '
      + 'lag behind them.',
    variants: [
      { label: 'raw inputs', config: { dataset: 'scales', hidden: [16, 16], init: 'xavier', learningRate: 0.5 } },
      { label: 'standardized', config: { dataset: 'scales', hidden: [16, 16], init: 'xavier', learningRate: 0.5, standardize: true } },
    ],
  },
  {
    id: 'covariate-shift',
    title: 'Internal covariate shift',
    view: 'view-ics',
    text: 'Ioffe and Szegedy\'s Figure 1: the 15th, 50th and 85th percentiles of the input to one '
      + 'sigmoid of the last layer while the network trains. Without BN the distribution wanders '
      + 'as every earlier layer learns (in this setting about seven times as far, measured in band '
      + 'widths); with BN it is pinned by the batch mean and variance, and moves only as γ and β '
      + 'are learned.',
    variants: [{ label: 'run it', config: { dataset: 'circle', hidden: [16, 16, 16, 16, 16, 16], initStd: 1, learningRate: 1, seed: 2 } }],
  },
  {
    id: 'batch-noise',
    title: 'Regularization noise and batch size',
    view: 'view-noise',
    text: 'The same network at three batch sizes. Each mini-batch has its own mean and variance, so '
      + 'the same example is normalized differently every time — the jitter plot — and the spread '
      + 'of the batch mean follows σ/√B. Small batches: lots of noise (at 4, too much to learn '
      + 'well). Large batches: little noise, and the gap between training and test loss grows.',
    variants: [4, 32, 256].map((batchSize) => ({
      label: `batch ${batchSize}`,
      config: { dataset: 'circle', samples: 600, noise: 0.3, batchSize, learningRate: 0.5, hidden: [32, 32, 32], probeExamples: 300 },
    })),
  },
  {
    id: 'placement',
    title: 'BN before or after the activation',
    view: 'view-gradients',
    text: 'The paper normalizes the input of the nonlinearity, z = g(BN(Wu)); normalizing its '
      + 'output instead leaves the sigmoid free to saturate. Compare the saturated units and the '
      + 'percentile bands of the two BN networks.',
    variants: [{ label: 'run it', config: { arms: ['plain', 'bn-before', 'bn-after'] } }],
  },
  {
    id: 'figure1',
    title: 'Ioffe & Szegedy 2015, Figure 1',
    view: 'view-ics',
    text: 'The paper\'s first figure, on handwritten digits: three fully connected hidden layers of '
      + '100 sigmoids from small random Gaussian weights, a 10-way softmax, mini-batches of 60, and '
      + 'BN before each nonlinearity. (a) Test accuracy against steps — with BN the network learns '
      + 'almost at once, without it it sits at chance for hundreds of steps. (b, c) The 15th, 50th '
      + 'and 85th percentiles of the input to one sigmoid of the last hidden layer: without BN they '
      + 'drift as the layers below learn, with BN they hold still. The paper gives no learning '
      + 'rate; 0.5 shows the effect.',
    variants: [{ label: 'run it', config: figure1 }],
  },
  {
    id: 'inference',
    title: 'Training mode against inference mode',
    view: 'view-noise',
    text: 'In training mode BN normalizes with the batch\'s statistics. One example alone is its '
      + 'own batch: its mean is itself, its variance zero, so every BN output is β and every '
      + 'input gets the same answer (the line under the last chart). Running averages of the '
      + 'batch statistics are what inference uses instead; with small batches the two modes '
      + 'differ most.',
    variants: [{ label: 'run it', config: { batchSize: 8 } }],
  },
];
