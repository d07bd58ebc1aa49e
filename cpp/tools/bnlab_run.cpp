// bnlab-run: trains one configuration natively and writes its recorded metrics as JSON; runs
// grids of runs (sweeps) and merges their shards; exports a run to PyTorch. `bnlab-run --help`
// lists every option (kOptions below, the one list the parser and the usage read).
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "bnlab/io/csv.hpp"
#include "bnlab/io/export_pytorch.hpp"
#include "bnlab/io/results.hpp"
#include "bnlab/lab/digits.hpp"
#include "bnlab/lab/experiment.hpp"
#include "bnlab/lab/sweep.hpp"
#include "bnlab/lab/sweep_threads.hpp"

namespace {

using bnlab::Json;

enum class Command { Run, Sweep, Merge, Export, Schema, Defaults, DefaultSweep, Help, Version };

// Every option, with its value's name (none for a flag) and one line of help.
struct OptionHelp {
  const char* name;
  const char* value;
  const char* help;
};
const OptionHelp kOptions[] = {
    {"--steps", "N", "steps to train (default 1000); with --export, the script's default"},
    {"--spread-batches", "M", "batches per size of the final batch-mean spread (default 1000)"},
    {"--data", "DIR", "the folder holding digits.bin (default: the repository's web/data)"},
    {"--data-csv", "FILE", "train on your own table (dataset \"csv\", implied when unset)"},
    {"--label", "NAME", "the label column of --data-csv's table (default: the last column)"},
    {"--export", "FORMAT", "write the run as a PyTorch script (pytorch) or notebook (notebook)"},
    {"--sweep", "", "the file is a sweep: train its grid of runs"},
    {"--threads", "T", "a sweep's threads (default: the machine's cores)"},
    {"--shard", "I/N", "a sweep's every N-th cell from I (0 <= I < N), for job arrays"},
    {"--csv", "", "a run's history, or a sweep's or a merge's grid, as CSV instead of JSON"},
    {"--merge", "", "the files are a sweep's shards: write the whole grid"},
    {"--default-sweep", "", "print the page's default sweep"},
    {"--schema", "", "print every configuration field, as JSON"},
    {"--defaults", "", "print the default configuration"},
    {"--version", "", "print bnlab-run's version"},
    {"--help", "", "print this help"},
};

const char* kUsage =
    "usage: bnlab-run [OPTIONS] [CONFIG.json | -]       train a run; JSON on stdout\n"
    "       bnlab-run --csv [OPTIONS] CONFIG.json        the run's history as CSV\n"
    "       bnlab-run --export pytorch|notebook [--steps N] CONFIG.json\n"
    "       bnlab-run --sweep SWEEP.json [--threads T] [--shard I/N] [--csv]\n"
    "       bnlab-run --merge [--csv] SHARD.json...\n"
    "       bnlab-run --schema | --defaults | --default-sweep | --version | --help\n"
    "(no file or '-': the configuration from stdin)\n";

struct Options {
  Command command = Command::Run;
  long steps = 1000;
  long spread_batches = 1000;
  long threads = std::max(1u, std::thread::hardware_concurrency());
  long shard = 0, shards = 1;
  bool csv = false;
  std::string data_dir = BNLAB_DATA_DIR;
  std::string data_csv, label;  // your own table and its label column
  bnlab::ExportFormat export_format = bnlab::ExportFormat::Script;
  std::vector<std::string> paths;  // the configuration, the sweep or the shards; "-" is stdin
};

void print_help(std::ostream& out) {
  out << kUsage << "options:\n";
  for (const OptionHelp& o : kOptions) {
    const std::string flag = std::string(o.name) + (*o.value ? std::string(" ") + o.value : "");
    out << "  " << flag << std::string(flag.size() < 22 ? 22 - flag.size() : 1, ' ') << o.help
        << "\n";
  }
}

int usage(const std::string& problem) {
  std::cerr << "bnlab-run: " << problem << "\n"
            << kUsage << "(bnlab-run --help lists every option)\n";
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
  } else if (arg == "--data-csv") {
    if (++i == argc) return "--data-csv needs a CSV file";
    o.data_csv = argv[i];
  } else if (arg == "--label") {
    if (++i == argc) return "--label needs a column's name";
    o.label = argv[i];
  } else if (arg == "--export") {
    if (++i == argc) return "--export needs a format: pytorch or notebook";
    try {
      o.export_format = bnlab::export_format_named(argv[i]);
    } catch (const std::invalid_argument& e) {
      return std::string("--export: ") + e.what();
    }
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
  bool sweep = false, merge = false, exporting = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const std::pair<const char*, Command> printing[] = {{"--schema", Command::Schema},
                                                        {"--defaults", Command::Defaults},
                                                        {"--default-sweep", Command::DefaultSweep},
                                                        {"--help", Command::Help},
                                                        {"-h", Command::Help},
                                                        {"--version", Command::Version}};
    for (const auto& [name, command] : printing)
      if (arg == name) {
        o.command = command;
        return "";
      }
    if (arg == "--export") exporting = true;
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
  if (int(sweep) + int(merge) + int(exporting) > 1)
    return "--sweep, --merge and --export do not go together";
  if (merge && o.paths.empty()) return "--merge needs the shards' JSON files";
  if (!merge && o.paths.size() > 1) return "one configuration or sweep file at a time";
  if (o.paths.empty()) o.paths.push_back("-");
  o.command = sweep       ? Command::Sweep
              : merge     ? Command::Merge
              : exporting ? Command::Export
                          : Command::Run;
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

// Your own table (--data-csv), read before any configuration is validated (the validator needs
// its shape). Only the first bytes past the reader's limit are read: a larger file is refused
// without reading it whole.
void load_table(const Options& o, std::string& where) {
  if (o.data_csv.empty()) return;
  where = o.data_csv;
  bnlab::provide_csv(bnlab::read_csv(read_text(o.data_csv, bnlab::CsvTable::kMaxBytes), o.label));
}

// A configuration document with --data-csv: the table is its data set ("dataset": "csv" when
// it names none; another data set is an error, not silently replaced).
Json with_table(Json config, const Options& o) {
  if (o.data_csv.empty() || !config.is_object()) return config;
  const Json* dataset = config.find("dataset");
  if (!dataset) {
    config.set("dataset", "csv");
  } else if (!dataset->is_string() || dataset->as_string() != "csv") {
    throw std::invalid_argument("--data-csv " + o.data_csv +
                                " is a table, but the configuration's "
                                "dataset is " +
                                dataset->dump() + " (leave it out or set \"csv\")");
  }
  return config;
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

// The configuration of a run or an export, its data loaded.
bnlab::Config read_config(const Options& o) {
  const bnlab::Config config = bnlab::parse_config(
      with_table(bnlab::parse_document(read_document(o.paths[0]), "(configuration)"), o));
  if (config.dataset == bnlab::DatasetKind::Digits) load_digits(o.data_dir);
  return config;
}

// Writes the run as a PyTorch script or notebook.
void export_config(const Options& o) {
  std::cout << bnlab::export_pytorch(read_config(o), o.export_format, o.steps);
}

// Trains one configuration and writes the whole run (results.hpp's shape).
void run_config(const Options& o) {
  const bnlab::Config config = read_config(o);
  bnlab::Experiment exp(config);
  exp.step(o.steps);
  if (o.csv) {
    std::cout << bnlab::history_csv(exp);
    return;
  }
  bnlab::JsonWriter w;
  std::cout << experiment_results_value(w, exp, static_cast<int>(o.spread_batches)).dump() << "\n";
}

// Trains a sweep's cells (a shard's, with --shard) on threads and writes the grid.
void run_sweep(const Options& o) {
  Json spec = bnlab::parse_document(read_document(o.paths[0]), "(sweep)");
  if (spec.is_object() && spec.find("base")) spec.set("base", with_table(*spec.find("base"), o));
  const bnlab::Sweep sweep = bnlab::parse_sweep(spec);
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
  std::string where;
  try {
    if (o.command != Command::Merge) load_table(o, where);
    where = o.paths[0] == "-" ? "stdin" : o.paths[0];
    if (o.command == Command::Merge)
      merge_shards(o, where);
    else if (o.command == Command::Sweep)
      run_sweep(o);
    else if (o.command == Command::Export)
      export_config(o);
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
    case Command::Help: print_help(std::cout); return 0;
    case Command::Version: std::cout << "bnlab-run " << BNLAB_VERSION << "\n"; return 0;
    case Command::Export:
    case Command::Run:
    case Command::Sweep:
    case Command::Merge: return run_command(o);
  }
  return 0;
}
