// The sub-commands of `cnn`. Each takes the arguments after its name and
// returns the process exit code; errors the user can fix are thrown as
// cnn::Error and printed by main().
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace cnn::cli {

using Argv = std::vector<std::string>;

// The whole command line: argv without the program name. Prints errors to
// stderr and returns the exit code (0 ok, 1 error, 2 usage, 3 internal).
int run(const Argv& argv);

int train_command(const Argv& args);
int eval_command(const Argv& args);
int summary_command(const Argv& args);
int bench_command(const Argv& args);
// What bench_command prints: the measurement as JSON (null after --help).
nlohmann::json bench_measure(const Argv& args);
int style_command(const Argv& args);
int features_command(const Argv& args);
int finetune_command(const Argv& args);
int classify_command(const Argv& args);
int convert_command(const Argv& args);

}  // namespace cnn::cli
