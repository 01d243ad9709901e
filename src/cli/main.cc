// bulwark: one program to secure an AWS estate. This file only dispatches to commands.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <new>
#include <set>
#include <vector>

#include "bulwark/version.h"
#include "cli/commands.h"

namespace {

// "scan", or "iam can" for a nested subcommand.
std::string CommandName(const CLI::App* sub) {
  std::string name = sub->get_name();
  for (const auto* inner : sub->get_subcommands())
    if (inner->parsed()) name += " " + CommandName(inner);
  return name;
}

// " (reading a, b)": the files and other inputs given to a command: its positional
// arguments and the options that name an input file.
std::string Inputs(const CLI::App* sub) {
  static const std::set<std::string> kFileOptions = {"snapshot",   "history",  "from-authz",
                                                     "checks-dir", "mutelist", "rules"};
  std::vector<std::string> names;
  std::vector<const CLI::App*> apps = {sub};
  for (size_t i = 0; i < apps.size(); ++i) {
    for (const auto* inner : apps[i]->get_subcommands())
      if (inner->parsed()) apps.push_back(inner);
    for (const CLI::Option* opt : apps[i]->get_options()) {
      bool positional = opt->get_lnames().empty() && opt->get_snames().empty();
      bool file = !opt->get_lnames().empty() && kFileOptions.count(opt->get_lnames()[0]);
      if (positional || file)
        for (const auto& r : opt->results()) names.push_back(r);
    }
  }
  return names.empty() ? "" : fmt::format(" (reading {})", fmt::join(names, ", "));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bulwark: AWS security posture, threat detection and IAM reasoning", "bulwark"};
  app.set_version_flag("--version", std::string("bulwark ") + bulwark::kVersion);
  app.require_subcommand(1);
  app.footer("Run 'bulwark COMMAND --help' for a command's options.");

  std::vector<std::unique_ptr<bulwark::cli::Command>> commands;
  commands.push_back(bulwark::cli::MakeCollectCommand(app));
  commands.push_back(bulwark::cli::MakeQueryCommand(app));
  commands.push_back(bulwark::cli::MakeScanCommand(app));
  commands.push_back(bulwark::cli::MakeChecksCommand(app));
  commands.push_back(bulwark::cli::MakeHuntCommand(app));
  commands.push_back(bulwark::cli::MakeIamCommand(app));
  commands.push_back(bulwark::cli::MakeHistoryCommand(app));
  commands.push_back(bulwark::cli::MakeDiffCommand(app));
  commands.push_back(bulwark::cli::MakeWatchCommand(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    if (what.empty()) what = "invalid command line";
    std::string help = "bulwark --help";
    if (argc > 1 && argv[1][0] != '-') {
      std::string name = argv[1];
      bool known = false;
      for (const auto* sub : app.get_subcommands({})) known = known || sub->get_name() == name;
      if (!known) what = fmt::format("unknown command '{}'", name);
      if (known) help = fmt::format("bulwark {} --help", name);
    }
    std::cerr << fmt::format("bulwark: error: {} (see '{}')\n", what, help);
    return 2;
  }
  for (auto& c : commands) {
    if (!c->sub()->parsed()) continue;
    // Commands report bad input themselves; what reaches here (memory exhausted, a bug) is
    // said in one line naming the command and its inputs, never an abort.
    try {
      return c->Run();
    } catch (const std::bad_alloc&) {
      std::cerr << fmt::format("bulwark {}: error: out of memory{}\n", CommandName(c->sub()),
                               Inputs(c->sub()));
    } catch (const std::exception& e) {
      std::cerr << fmt::format("bulwark {}: internal error: {}{}\n", CommandName(c->sub()),
                               e.what(), Inputs(c->sub()));
    }
    return 1;
  }
  return 2;
}
