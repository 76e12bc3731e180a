#include "cli/args.h"

#include <algorithm>
#include <cstdlib>

#include "core/error.h"

namespace cnn::cli {

Args::Args(std::string command, std::string summary)
    : command_(std::move(command)), summary_(std::move(summary)) {}

Args& Args::option(const std::string& name, const std::string& default_value,
                   const std::string& help) {
  specs_.push_back({name, default_value, help, false});
  values_[name] = default_value;
  return *this;
}

Args& Args::flag(const std::string& name, const std::string& help) {
  specs_.push_back({name, "", help, true});
  values_[name] = "";
  return *this;
}

Args& Args::positional(const std::string& name, const std::string& help, bool required) {
  pos_specs_.push_back({name, help});
  if (required) ++required_pos_;
  return *this;
}

const Args::Spec* Args::find(const std::string& name) const {
  for (const Spec& s : specs_)
    if (s.name == name) return &s;
  return nullptr;
}

bool Args::parse(const std::vector<std::string>& argv) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-h" || a == "--help") return false;
    if (a.rfind("--", 0) != 0 || a.size() == 2) {
      if (pos_specs_.size() <= values_pos_.size())
        throw Error("unexpected argument \"" + a + "\" (see " + command_ + " --help)");
      values_pos_.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    const size_t eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const Spec* spec = find(name);
    if (!spec) throw Error("unknown option --" + name + " (see " + command_ + " --help)");
    if (spec->is_flag) {
      if (inline_value) throw Error("--" + name + " takes no value");
      value = "1";
    } else if (!inline_value) {
      if (i + 1 >= argv.size()) throw Error("--" + name + " needs a value");
      value = argv[++i];
    }
    values_[name] = value;
    given_[name] = true;
  }
  if (values_pos_.size() < required_pos_)
    throw Error("missing " + pos_specs_[values_pos_.size()].first + " (see " + command_ +
                " --help)");
  return true;
}

std::string Args::help() const {
  std::string usage = "usage: " + command_;
  for (const auto& [name, h] : pos_specs_) usage += " " + name;
  if (!specs_.empty()) usage += " [options]";
  std::string s = usage + "\n\n" + summary_ + "\n";
  if (!pos_specs_.empty()) {
    s += "\narguments:\n";
    for (const auto& [name, h] : pos_specs_)
      s += "  " + name + std::string(24 - std::min<size_t>(22, name.size()), ' ') + h + "\n";
  }
  s += "\noptions:\n";
  for (const Spec& spec : specs_) {
    std::string left = "  --" + spec.name + (spec.is_flag ? "" : " V");
    left += std::string(left.size() < 26 ? 26 - left.size() : 1, ' ');
    s += left + spec.help;
    if (!spec.is_flag && !spec.default_value.empty()) s += " [" + spec.default_value + "]";
    s += "\n";
  }
  s += "  -h, --help                show this help\n";
  return s;
}

const std::string& Args::get(const std::string& name) const {
  return values_.at(name);
}

bool Args::has(const std::string& name) const {
  return given_.count(name) > 0;
}

int Args::get_int(const std::string& name) const {
  const std::string& v = get(name);
  char* end = nullptr;
  long x = std::strtol(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || x < -2147483647 || x > 2147483647)
    throw Error("--" + name + " expects a whole number, got \"" + v + "\"");
  return int(x);
}

double Args::get_double(const std::string& name) const {
  const std::string& v = get(name);
  char* end = nullptr;
  double x = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0') throw Error("--" + name + " expects a number, got \"" + v + "\"");
  return x;
}

}  // namespace cnn::cli
