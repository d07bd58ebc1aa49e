// Runs a sweep's cells on native threads (the command-line runner and the tests; the page runs
// cells in a pool of Web Workers instead, and the wasm build has no threads). Each thread
// takes the next cell not yet taken; results land at the cell's place, so the output does not
// depend on the number of threads or on which thread ran which cell.
#pragma once

#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bnlab/lab/sweep.hpp"

namespace bnlab {

// The cells `indices` of `sweep` on `threads` threads (1 runs them on the calling thread), in
// the order of `indices`. done(k) is called after each cell, from the thread that ran it,
// with the number of cells finished so far.
std::vector<CellResult> run_cells(const Sweep& sweep, const std::vector<int>& indices, int threads,
                                  const std::function<void(int)>& done = {});

// Joins shards of one sweep: every cell exactly once, in index order. Throws
// std::invalid_argument when the shards are of different sweeps, a cell is missing or repeated.
std::vector<CellResult> merge_cells(const Sweep& sweep,
                                    std::vector<std::vector<CellResult>> shards);

// A shard as bnlab-run --sweep --shard wrote it: the JSON text, and a name for messages (its
// file's).
struct ShardDocument {
  std::string name, text;
};
// What is wrong with one shard's document, and which one it is (its place in the list).
class ShardError : public std::invalid_argument {
 public:
  ShardError(std::size_t shard, const std::string& what)
      : std::invalid_argument(what), shard(shard) {}
  std::size_t shard;
};
// Shards' documents joined as bnlab-run --merge joins them: each read back
// (sweep_results_from_json), each of the first one's sweep, then merge_cells. Sets `sweep`.
// Throws ShardError for a document's own problem, merge_cells's std::invalid_argument for the
// whole's (a missing or repeated cell).
std::vector<CellResult> merge_shard_documents(const std::vector<ShardDocument>& shards,
                                              Sweep& sweep);

}  // namespace bnlab
