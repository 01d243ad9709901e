// `bulwark collect`: collect an account's configuration into a snapshot.
#include "cli/collect_flags.h"
#include "cli/commands.h"

namespace bulwark::cli {
namespace {

class CollectCommand : public Command {
 public:
  explicit CollectCommand(CLI::App& app) {
    sub_ = app.add_subcommand("collect", "Collect an AWS account's configuration into a snapshot");
    sub_->add_option("--out,-o", out_, "Snapshot file to write (SQLite)")->required();
    AddCollectFlags(sub_, flags_);
  }
  CLI::App* sub() const override { return sub_; }
  int Run() override { return CollectToFile(flags_, out_, "collect"); }

 private:
  CLI::App* sub_;
  std::string out_;
  CollectFlags flags_;
};

}  // namespace

std::unique_ptr<Command> MakeCollectCommand(CLI::App& app) {
  return std::make_unique<CollectCommand>(app);
}

}  // namespace bulwark::cli
