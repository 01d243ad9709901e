// `bulwark query SNAPSHOT SQL`: ad-hoc SQL over a snapshot.
#include <fmt/format.h>

#include <iostream>

#include "checks/sql_functions.h"
#include "cli/commands.h"
#include "cli/query_output.h"
#include "snapshot/snapshot.h"

namespace bulwark::cli {
namespace {

class QueryCommand : public Command {
 public:
  explicit QueryCommand(CLI::App& app) {
    sub_ = app.add_subcommand("query",
                              "Run SQL over a snapshot (tables: SELECT * FROM snapshot_tables)");
    sub_->add_option("snapshot", snapshot_, "Snapshot database written by 'bulwark collect'")
        ->required()
        ->check(CLI::ExistingFile);
    sub_->add_option("sql", sql_, "One SQL statement, e.g. \"SELECT name FROM aws_iam_user\"")
        ->required();
    sub_->add_option("--format,-f", format_, "Output format")
        ->check(CLI::IsMember({"table", "json", "csv"}))
        ->capture_default_str();
  }
  CLI::App* sub() const override { return sub_; }

  int Run() override {
    auto snap = snapshot::Snapshot::Open(snapshot_);
    if (!snap.ok()) {
      std::cerr << "bulwark query: " << snap.status().message() << "\n";
      return 1;
    }
    std::string error;
    if (!checks::RegisterSqlFunctions((*snap)->db(), &error)) {
      std::cerr << "bulwark query: " << error << "\n";
      return 1;
    }
    Result<QueryResult> r = RunQuery((*snap)->db(), sql_);
    if (!r.ok()) {
      std::cerr << fmt::format("bulwark query: {} (in {})\n", r.status().message(), snapshot_);
      return 1;
    }
    if (format_ == "json") {
      WriteJson(std::cout, *r);
    } else if (format_ == "csv") {
      WriteCsv(std::cout, *r);
    } else {
      WriteTable(std::cout, *r);
    }
    return 0;
  }

 private:
  CLI::App* sub_;
  std::string snapshot_;
  std::string sql_;
  std::string format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeQueryCommand(CLI::App& app) {
  return std::make_unique<QueryCommand>(app);
}

}  // namespace bulwark::cli
