// Drawing on animation frames within a budget: the charts and the maps ask for a redraw with
// drawSoon, and each frame runs as many of the waiting redraws as fit in FRAME_BUDGET_MS (at
// least one). On a slow phone the page keeps answering while its pictures catch up, and each
// draws its newest data when its turn comes; a picture asked for twice is drawn once.
// 8 ms: after the frame's scripts the main thread hands the redrawn canvases to the compositor
// ("Commit" in a trace), which took as long again here (up to 25 ms with 2 arms' charts, with
// the worker training on the other core); at 12 ms a frame on the shift view reached 54 ms.
const FRAME_BUDGET_MS = 8;
const waiting = new Map(); // key -> draw()
let requested = false;

// frameStart: the frame's time, the same for every callback of the frame, so that the time
// the snapshot's own display took in this frame counts against the budget too.
function drawWaiting(frameStart) {
  requested = false;
  const start = Math.min(frameStart, performance.now());
  let drawn = 0;
  for (const [key, draw] of waiting) {
    if (drawn > 0 && performance.now() - start > FRAME_BUDGET_MS) break;
    waiting.delete(key);
    draw();
    ++drawn;
  }
  if (waiting.size > 0) request();
}

function request() {
  if (requested) return;
  requested = true;
  requestAnimationFrame(drawWaiting);
}

export function drawSoon(key, draw) {
  waiting.set(key, draw);
  request();
}

export function cancelDraw(key) {
  waiting.delete(key);
}
