#pragma once
// The subcommands of `edgeperf`, one file each: every `add_<name>` adds its
// CLI11 subcommand with its flags to `app` and returns what runs it. The
// subcommands only parse flags, call the library and print.

#include <CLI/CLI.hpp>

#include "cli.hpp"

namespace edgeperf::cli {

subcommand add_estimate(CLI::App& app);    // estimate.cpp
subcommand add_sweep(CLI::App& app);       // sweep.cpp
subcommand add_validate(CLI::App& app);    // validate.cpp
subcommand add_fit(CLI::App& app);         // fit.cpp
subcommand add_fit_energy(CLI::App& app);  // fit_energy.cpp
subcommand add_list(CLI::App& app);        // list.cpp
subcommand add_plan(CLI::App& app);        // plan.cpp
subcommand add_pareto(CLI::App& app);      // pareto.cpp

}  // namespace edgeperf::cli
