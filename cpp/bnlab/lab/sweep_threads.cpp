#include "bnlab/lab/sweep_threads.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace bnlab {

std::vector<CellResult> run_cells(const Sweep& sweep, const std::vector<int>& indices, int threads,
                                  const std::function<void(int)>& done) {
  std::vector<CellResult> out(indices.size());
  std::atomic<std::size_t> next{0};
  std::atomic<int> finished{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto work = [&] {
    for (std::size_t k; (k = next.fetch_add(1)) < indices.size();) {
      try {
        out[k] = run_cell(sweep, indices[k]);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = indices.size();
        return;
      }
      const int n = ++finished;
      if (done) done(n);
    }
  };
  const int extra = std::max(0, std::min<int>(threads, static_cast<int>(indices.size())) - 1);
  std::vector<std::thread> pool;
  for (int t = 0; t < extra; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  return out;
}

std::vector<CellResult> merge_cells(const Sweep& sweep,
                                    std::vector<std::vector<CellResult>> shards) {
  std::vector<CellResult> out(static_cast<std::size_t>(sweep.cells()));
  for (auto& shard : shards)
    for (CellResult& cell : shard) {
      if (cell.index < 0 || cell.index >= sweep.cells())
        throw std::invalid_argument("cell " + std::to_string(cell.index) +
                                    " is outside the grid of " + std::to_string(sweep.cells()) +
                                    " cells");
      CellResult& slot = out.at(static_cast<std::size_t>(cell.index));
      if (slot.index >= 0)
        throw std::invalid_argument("cell " + std::to_string(cell.index) + " is in two shards");
      slot = std::move(cell);
    }
  for (std::size_t c = 0; c < out.size(); ++c)
    if (out[c].index < 0)
      throw std::invalid_argument("cell " + std::to_string(c) + " is in no shard (" +
                                  std::to_string(sweep.cells()) + " cells in the grid)");
  return out;
}

std::vector<CellResult> merge_shard_documents(const std::vector<ShardDocument>& shards,
                                              Sweep& sweep) {
  std::string first;
  std::vector<std::vector<CellResult>> parts;
  for (std::size_t k = 0; k < shards.size(); ++k) {
    Sweep part;
    try {
      parts.push_back(sweep_results_from_json(Json::parse(shards[k].text), part));
    } catch (const std::exception& e) {
      throw ShardError(k, e.what());
    }
    const std::string spec = sweep_to_json(part).dump();
    if (k == 0) {
      first = spec;
      sweep = part;
    } else if (spec != first) {
      throw ShardError(k, "a shard of another sweep than " + shards[0].name + "'s");
    }
  }
  return merge_cells(sweep, std::move(parts));
}

}  // namespace bnlab
