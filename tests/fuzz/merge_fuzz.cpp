// Shards joined as bnlab-run --merge joins them (merge_shard_documents: each document read back
// by sweep_results_from_json, then merge_cells). The input is the shards' texts separated by
// byte 0x01, which no JSON text holds. Any bytes give the whole grid, every cell once in index
// order, or a refusal (ShardError, std::invalid_argument), never another exception; a merged
// grid written out reads back as the same grid.
#include <stdexcept>
#include <string>
#include <vector>

#include "bnlab/lab/sweep_threads.hpp"
#include "fuzz.hpp"

using bnlab::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = bnlab::fuzz::text(data, size);
  std::vector<bnlab::ShardDocument> shards;
  for (std::size_t from = 0;;) {
    const std::size_t to = text.find('\x01', from);
    shards.push_back({"shard" + std::to_string(shards.size()), text.substr(from, to - from)});
    if (to == std::string::npos) break;
    from = to + 1;
  }
  bnlab::Sweep sweep;
  std::vector<bnlab::CellResult> cells;
  try {
    cells = bnlab::merge_shard_documents(shards, sweep);
  } catch (const std::invalid_argument&) {
    return 0;  // ShardError, a ConfigError of the sweep, or merge_cells's refusal
  }
  check(static_cast<int>(cells.size()) == sweep.cells(), "every cell of the grid is merged");
  for (std::size_t c = 0; c < cells.size(); ++c) {
    check(cells[c].index == static_cast<int>(c), "the cells are in index order");
    check(cells[c].arms.size() == sweep.base.arms.size(), "each cell has every arm");
  }
  const std::string json = bnlab::sweep_results_json(sweep, cells).dump();
  bnlab::Sweep again;
  const std::vector<bnlab::CellResult> back =
      bnlab::merge_shard_documents({{"merged", json}}, again);
  check(bnlab::sweep_results_json(again, back).dump() == json, "a merged grid survives its JSON",
        json);
  bnlab::sweep_results_csv(sweep, cells);
  return 0;
}
