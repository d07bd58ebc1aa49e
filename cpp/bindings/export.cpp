// The PyTorch export's module (dist/bnlab-export.js and .wasm): a run as a script or a
// notebook. The page fetches it on the first Open in PyTorch, so the 17.5 KB template and
// its writer are not part of the page's first load; the one-file page's engine links it in.
#include <emscripten/bind.h>

#include <string>

#include "bindings/js.hpp"
#include "bnlab/io/config.hpp"
#include "bnlab/io/export_pytorch.hpp"

using namespace bnlab;
using namespace bnlab::bindings;

namespace {

// The run a configuration describes as a PyTorch script ("pytorch") or notebook ("notebook").
std::string export_run(const val& config, const std::string& format, double steps) {
  return guarded([&] {
    return export_pytorch(parse_config(config_text(config)), export_format_named(format),
                          step_count(steps, "exportRun: steps"));
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(bnlab_export) { emscripten::function("exportRun", &export_run); }
