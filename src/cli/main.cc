// bulwark: one program to secure an AWS estate. This file only dispatches to commands.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <vector>

#include "bulwark/version.h"
#include "cli/commands.h"

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
  try {
    for (auto& c : commands) {
      if (c->sub()->parsed()) return c->Run();
    }
  } catch (const std::exception& e) {
    // A bug, not bad input: say so plainly instead of aborting.
    std::cerr << fmt::format("bulwark: internal error: {}\n", e.what());
    return 1;
  }
  return 2;
}
