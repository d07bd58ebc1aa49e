// Every lesson's configurations as JSON, for tests/torch/export_test.py: [{ lesson, variant,
// horizon, config }], the default experiment first.
import { DEFAULT_LESSON, LESSONS } from '../../web/src/lessons/lessons.js';

const runs = [DEFAULT_LESSON, ...LESSONS].flatMap((lesson) =>
  lesson.variants.map((variant, index) => ({
    lesson: lesson.id,
    variant: index,
    horizon: lesson.horizon,
    config: variant.config,
  })),
);
process.stdout.write(`${JSON.stringify(runs)}\n`);
