// A sweep: a grid of experiments over one or two fields of the configuration (Ioffe & Szegedy's
// "much higher learning rates" and "less careful about initialization" are claims about many
// runs, not one). Every cell is an ordinary experiment, the base configuration with the axes'
// values set, judged by the same validator before anything runs; cells are independent, so a
// grid gives the same numbers in any order, on any number of threads or workers, and in shards.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bnlab/io/config.hpp"
#include "bnlab/io/json.hpp"

namespace bnlab {

class Experiment;

struct SweepAxis {
  std::string field;               // one of sweep_fields()
  std::vector<FieldValue> values;  // each one the field takes
};

// The numbers a cell ends with, which the heatmaps can colour by (sweep_metrics names them).
enum class SweepMetric { TestAccuracy, TestLoss, TrainAccuracy, TrainLoss };

struct Sweep {
  static constexpr int kMaxValues = 24;       // per axis
  static constexpr long kMaxSteps = 1000000;  // per cell

  Config base;
  std::vector<SweepAxis> axes;  // x, then y when there is one
  long steps = 1000;
  SweepMetric metric = SweepMetric::TestAccuracy;

  int size(int axis) const;  // values on an axis (1 when there is no such axis)
  int cells() const { return size(0) * size(1); }
  // Cell index = iy * size(0) + ix. The value of `axis` at a cell, and the cell's
  // configuration, validated.
  const FieldValue& value(int axis, int index) const;
  Config cell_config(int index) const;
};

// The numbers one arm ends a cell with, measured on the whole sets in inference mode.
struct CellArm {
  float test_accuracy = 0, test_loss = 0, train_accuracy = 0, train_loss = 0;
  long diverged_at = -1;  // the step its loss became NaN or infinite; -1 when it did not
};
struct CellResult {
  int index = -1;
  std::vector<CellArm> arms;  // in the base configuration's arm order
};

// The fields an axis can vary: the number, integer, boolean and choice fields of the
// configuration that change training (the measurement settings do not).
const std::vector<std::string>& sweep_fields();
// The metrics a sweep can colour by, as the results name them.
const std::vector<std::string>& sweep_metrics();

// { base: {config fields}, x: { field, values: [...] }, y: { ... } (optional), steps, metric }.
// Throws ConfigError naming every problem: the base's own fields as "base.<field>", an axis as
// "x.field", "x.values", and a value that makes a cell invalid as "x.values" with the value and
// the validator's message for the field. Every cell is validated here, before anything runs.
Sweep parse_sweep(const Json& json);
Sweep parse_sweep(const std::string& json_text);  // also refuses text that is not JSON
Json sweep_to_json(const Sweep& sweep);
// The sweep shown when nothing else is asked for: learning rate x initial std on the defaults.
Json default_sweep_json();

// One cell trained from step 0, a few steps at a time (the page's workers return to their
// event loop between slices, so Cancel takes effect at once). Measurement settings (probes,
// gradient-ICS, the landscape, the recording interval) are left out: they measure training
// without changing it (tested).
class CellRun {
 public:
  CellRun(const Sweep& sweep, int index);
  ~CellRun();
  CellRun(CellRun&&) noexcept;
  // Up to n more steps; returns the steps still to go.
  long step(long n);
  CellResult result();  // after the last step

 private:
  int index_;
  long steps_;
  std::unique_ptr<Experiment> exp_;
};

// A whole cell at once.
CellResult run_cell(const Sweep& sweep, int index);

// { sweep, arms: [names], cells: [{ index, x, y, arms: [{ testAccuracy, ..., divergedAt }] }] },
// the cells in index order; a shard also carries shard: { index, count }.
Json sweep_results_json(const Sweep& sweep, const std::vector<CellResult>& cells);
// The same as CSV: a header, then one row per cell and arm.
std::string sweep_results_csv(const Sweep& sweep, const std::vector<CellResult>& cells);
// Reads a results document back (for merging shards); throws std::invalid_argument.
std::vector<CellResult> sweep_results_from_json(const Json& json, Sweep& sweep);

// The cells of shard i of n (i from 0): every n-th cell from i.
std::vector<int> shard_cells(const Sweep& sweep, int shard, int shards);

}  // namespace bnlab
