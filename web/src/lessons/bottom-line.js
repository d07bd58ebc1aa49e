// A lesson ends with a bottom line: one sentence on what the run showed, made from its claims'
// verdicts at the horizon (r: [{ ok, detail }] in the claims' order), so it quotes the run's
// numbers and is true of this run whichever way a claim went.

// A claim's verdict as a clause: what it says when it held, what the run showed instead when
// it did not, with the numbers behind it.
export const clause = (r, yes, no) => `${r.ok ? yes : no} (${r.detail})`;

// The lesson's point, said only when the claims it rests on all held.
export const point = (rs, text) =>
  rs.every((r) => r.ok)
    ? text
    : "So this run does not show the lesson's point; the counts beside the claims say how often it holds over seeds 1–20.";
