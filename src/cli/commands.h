// The subcommands: each registers its flags on the CLI11 app and runs when chosen.
// Exit codes: 0 success, 1 runtime failure, 2 bad usage.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

namespace bulwark::cli {

class Command {
 public:
  virtual ~Command() = default;
  virtual CLI::App* sub() const = 0;
  virtual int Run() = 0;
};

std::unique_ptr<Command> MakeCollectCommand(CLI::App& app);
std::unique_ptr<Command> MakeQueryCommand(CLI::App& app);
std::unique_ptr<Command> MakeScanCommand(CLI::App& app);
std::unique_ptr<Command> MakeChecksCommand(CLI::App& app);
std::unique_ptr<Command> MakeHuntCommand(CLI::App& app);
std::unique_ptr<Command> MakeIamCommand(CLI::App& app);
std::unique_ptr<Command> MakeHistoryCommand(CLI::App& app);
std::unique_ptr<Command> MakeDiffCommand(CLI::App& app);
std::unique_ptr<Command> MakeWatchCommand(CLI::App& app);

}  // namespace bulwark::cli
