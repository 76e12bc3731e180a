// The sub-commands of `cnn`. Each takes the arguments after its name and
// returns the process exit code; errors the user can fix are thrown as
// cnn::Error and printed by main().
#pragma once
#include <string>
#include <vector>

namespace cnn::cli {

using Argv = std::vector<std::string>;

int train_command(const Argv& args);
int eval_command(const Argv& args);
int summary_command(const Argv& args);

}  // namespace cnn::cli
