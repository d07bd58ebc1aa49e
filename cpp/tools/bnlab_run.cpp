// bnlab-run: trains one configuration natively and writes its recorded metrics as JSON.
//
//   bnlab-run [--steps N] [--spread-batches M] [--data DIR] [CONFIG.json | -]
//                                    (no file or '-': the configuration from stdin; DIR holds
//                                    digits.bin, by default the repository's web/data)
//   bnlab-run --sweep SWEEP.json [--threads T] [--shard I/N] [--csv] [--data DIR]
//                                    a grid of runs (cpp/bnlab/lab/sweep.hpp): every cell trained
//                                    on T threads (default: the machine's cores), written as
//                                    JSON or CSV; --shard I/N runs every N-th cell from I
//                                    (0 <= I < N) so a job array can split a sweep across machines
//   bnlab-run --merge SHARD.json...  joins shards into the whole sweep's JSON (or --csv), equal
//                                    byte for byte to running it unsharded
//   bnlab-run --default-sweep        the page's default sweep, as JSON
//   bnlab-run --schema                          every configuration field, as JSON
//   bnlab-run --defaults                        the default configuration, as JSON
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "bnlab/io/results.hpp"
#include "bnlab/lab/digits.hpp"
#include "bnlab/lab/experiment.hpp"
#include "bnlab/lab/sweep.hpp"
#include "bnlab/lab/sweep_threads.hpp"

namespace {

using bnlab::Json;

enum class Command { Run, Sweep, Merge, Schema, Defaults, DefaultSweep };

struct Options {
  Command command = Command::Run;
  long steps = 1000;
  long spread_batches = 1000;
  long threads = std::max(1u, std::thread::hardware_concurrency());
  long shard = 0, shards = 1;
  bool csv = false;
  std::string data_dir = BNLAB_DATA_DIR;
  std::vector<std::string> paths;  // the configuration, the sweep or the shards; "-" is stdin
};

int usage(const std::string& problem) {
  std::cerr
      << "bnlab-run: " << problem << "\n"
      << "usage: bnlab-run [--steps N] [--spread-batches M] [--data DIR] [CONFIG.json | -]\n"
      << "       bnlab-run --sweep SWEEP.json [--threads T] [--shard I/N] [--csv] [--data DIR]\n"
      << "       bnlab-run --merge [--csv] SHARD.json...\n"
      << "       bnlab-run --schema | --defaults | --default-sweep\n";
  return 2;
}

// An integer option's value, when it is one from min to max.
bool integer_arg(const char* text, long min, long max, long& out) {
  char* end = nullptr;
  out = std::strtol(text, &end, 10);
  return *end == '\0' && end != text && out >= min && out <= max;
}

// Reads the option at argv[i] (and its value, moving i past it). Returns what is wrong with it,
// or "".
std::string read_option(int argc, char** argv, int& i, Options& o) {
  const std::string arg = argv[i];
  if (arg == "--steps") {
    if (++i == argc || !integer_arg(argv[i], 0, 100000000, o.steps))
      return "--steps must be an integer from 0 to 100000000";
  } else if (arg == "--data") {
    if (++i == argc) return "--data needs a folder";
    o.data_dir = argv[i];
  } else if (arg == "--spread-batches") {
    if (++i == argc || !integer_arg(argv[i], 2, 100000, o.spread_batches))
      return "--spread-batches must be an integer from 2 to 100000";
  } else if (arg == "--sweep-batches") {
    return "--sweep-batches is now --spread-batches (the batch-mean spread; --sweep runs a grid)";
  } else if (arg == "--threads") {
    if (++i == argc || !integer_arg(argv[i], 1, 256, o.threads))
      return "--threads must be an integer from 1 to 256";
  } else if (arg == "--shard") {
    const std::string text = ++i == argc ? "" : argv[i];
    const auto slash = text.find('/');
    if (slash == std::string::npos ||
        !integer_arg(text.substr(0, slash).c_str(), 0, 1000000, o.shard) ||
        !integer_arg(text.substr(slash + 1).c_str(), 1, 1000000, o.shards) || o.shard >= o.shards)
      return "--shard must be I/N with 0 <= I < N, e.g. --shard 0/4; got \"" + text + "\"";
  } else {
    return "unknown option " + arg;
  }
  return "";
}

// The command line as options. Returns what is wrong with it, or "". A printing command
// (--schema, --defaults, --default-sweep) takes effect where it stands: the rest is not read.
std::string parse_args(int argc, char** argv, Options& o) {
  bool sweep = false, merge = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--schema" || arg == "--defaults" || arg == "--default-sweep") {
      o.command = arg == "--schema"     ? Command::Schema
                  : arg == "--defaults" ? Command::Defaults
                                        : Command::DefaultSweep;
      return "";
    }
    if (arg == "--sweep") {
      sweep = true;
    } else if (arg == "--merge") {
      merge = true;
    } else if (arg == "--csv") {
      o.csv = true;
    } else if (arg.size() > 1 && arg[0] == '-') {
      if (const std::string problem = read_option(argc, argv, i, o); !problem.empty())
        return problem;
    } else {
      o.paths.push_back(arg);
    }
  }
  if (sweep && merge) return "--sweep and --merge do not go together";
  if (merge && o.paths.empty()) return "--merge needs the shards' JSON files";
  if (!merge && o.paths.size() > 1) return "one configuration or sweep file at a time";
  if (o.paths.empty()) o.paths.push_back("-");
  o.command = sweep ? Command::Sweep : merge ? Command::Merge : Command::Run;
  return "";
}

// At most limit + 1 bytes of a file, or of stdin for "-": enough for its reader to refuse a
// longer one by its limit, without reading a stranger's 100 GB first.
std::string read_text(const std::string& path, std::size_t limit) {
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) throw std::runtime_error("cannot read " + path);
  }
  std::istream& in = path == "-" ? std::cin : file;
  std::string text(limit + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

void load_digits(const std::string& dir) {
  const std::string path = dir + "/digits.bin";
  std::string bytes;
  try {
    bytes = read_text(path, bnlab::Digits::kFileBytes);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(e.what() + std::string(" (see --data)"));
  }
  bnlab::provide_digits(
      bnlab::decode_digits(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

// A configuration or sweep file's text; an empty one is the empty object (every default).
std::string read_document(const std::string& path) {
  const std::string text = read_text(path, bnlab::kMaxDocumentBytes);
  return text.empty() ? std::string("{}") : text;
}

void write_sweep(const bnlab::Sweep& sweep, const std::vector<bnlab::CellResult>& cells, bool csv,
                 const Json& shard) {
  if (csv) {
    std::cout << bnlab::sweep_results_csv(sweep, cells);
    return;
  }
  Json out = bnlab::sweep_results_json(sweep, cells);
  if (!shard.is_null()) out.set("shard", shard);
  std::cout << out.dump() << "\n";
}

// Trains one configuration and writes the whole run (results.hpp's shape).
void run_config(const Options& o) {
  const bnlab::Config config = bnlab::parse_config(read_document(o.paths[0]));
  if (config.dataset == bnlab::DatasetKind::Digits) load_digits(o.data_dir);
  bnlab::Experiment exp(config);
  exp.step(o.steps);
  bnlab::JsonWriter w;
  std::cout << experiment_results_value(w, exp, static_cast<int>(o.spread_batches)).dump() << "\n";
}

// Trains a sweep's cells (a shard's, with --shard) on threads and writes the grid.
void run_sweep(const Options& o) {
  const bnlab::Sweep sweep = bnlab::parse_sweep(read_document(o.paths[0]));
  if (sweep.base.dataset == bnlab::DatasetKind::Digits) load_digits(o.data_dir);
  const std::vector<int> cells = bnlab::shard_cells(sweep, int(o.shard), int(o.shards));
  Json shard;
  if (o.shards > 1) {
    shard = Json::object();
    shard.set("index", o.shard);
    shard.set("count", o.shards);
  }
  write_sweep(sweep, bnlab::run_cells(sweep, cells, int(o.threads)), o.csv, shard);
}

// Joins the shards of one sweep. `where` follows the file at fault, for error messages.
void merge_shards(const Options& o, std::string& where) {
  std::vector<bnlab::ShardDocument> shards;
  for (const std::string& path : o.paths) {
    where = path;
    shards.push_back({path, read_text(path, Json::kMaxBytes)});
  }
  bnlab::Sweep sweep;
  where = "--merge";
  try {
    const std::vector<bnlab::CellResult> cells = bnlab::merge_shard_documents(shards, sweep);
    write_sweep(sweep, cells, o.csv, Json());
  } catch (const bnlab::ShardError& e) {
    where = o.paths[e.shard];
    throw;
  }
}

void print(const Json& json) { std::cout << json.dump() << "\n"; }

// Runs a command that reads files; an error is reported with where it happened (a file,
// stdin, --merge) and exit code 1.
int run_command(const Options& o) {
  std::string where = o.paths[0] == "-" ? "stdin" : o.paths[0];
  try {
    if (o.command == Command::Merge)
      merge_shards(o, where);
    else if (o.command == Command::Sweep)
      run_sweep(o);
    else
      run_config(o);
  } catch (const std::exception& e) {
    std::cerr << "bnlab-run: " << where << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (const std::string problem = parse_args(argc, argv, o); !problem.empty())
    return usage(problem);
  switch (o.command) {
    case Command::Schema: print(bnlab::config_schema()); return 0;
    case Command::Defaults: print(bnlab::config_to_json(bnlab::Config{})); return 0;
    case Command::DefaultSweep:
      print(bnlab::sweep_to_json(bnlab::parse_sweep(bnlab::default_sweep_json())));
      return 0;
    case Command::Run:
    case Command::Sweep:
    case Command::Merge: return run_command(o);
  }
  return 0;
}
