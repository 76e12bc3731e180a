// A small command-line parser: `--name value`, `--name=value` and `--flag`,
// positional arguments, generated --help text, and one clear error for an
// unknown option or a bad value.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace cnn::cli {

class Args {
 public:
  // `command` is "cnn train"; `summary` the first line of --help.
  Args(std::string command, std::string summary);

  // Declares an option with a default ("" for none) and its help line.
  Args& option(const std::string& name, const std::string& default_value, const std::string& help);
  Args& flag(const std::string& name, const std::string& help);
  // Declares positional arguments, for --help ("MODEL").
  Args& positional(const std::string& name, const std::string& help, bool required = true);

  // Parses argv (after the sub-command). Returns false if --help was asked
  // (help() then has the text). Throws cnn::Error for an unknown option, a
  // missing value or a missing positional argument.
  bool parse(const std::vector<std::string>& argv);

  std::string help() const;
  const std::string& get(const std::string& name) const;
  int get_int(const std::string& name) const;
  double get_double(const std::string& name) const;
  bool has(const std::string& name) const;  // given on the command line (or a flag set)
  const std::vector<std::string>& positionals() const { return values_pos_; }

 private:
  struct Spec {
    std::string name, default_value, help;
    bool is_flag;
  };
  const Spec* find(const std::string& name) const;
  std::string command_, summary_;
  std::vector<Spec> specs_;
  std::vector<std::pair<std::string, std::string>> pos_specs_;
  size_t required_pos_ = 0;
  std::map<std::string, std::string> values_;
  std::map<std::string, bool> given_;
  std::vector<std::string> values_pos_;
};

}  // namespace cnn::cli
