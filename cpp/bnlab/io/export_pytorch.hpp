// A run exported to PyTorch: a self-contained Python script, or a Jupyter notebook, that builds
// every arm as torch.nn modules from the run's initial weights and trains it with
// torch.optim.SGD on the run's mini-batches (pytorch_template.py is the text; this fills it in).
// The data and the initial weights are embedded as bnlab made them; the mini-batch order and the
// noise come from the script's port of bnlab's generator.
#pragma once

#include <string>

#include "bnlab/io/config.hpp"

namespace bnlab {

enum class ExportFormat { Script, Notebook };

// "pytorch" (a script) or "notebook"; std::invalid_argument naming both for another name.
ExportFormat export_format_named(const std::string& name);

// The script or notebook for a valid configuration; `steps` is its default step count.
std::string export_pytorch(const Config& config, ExportFormat format, long steps);

}  // namespace bnlab
