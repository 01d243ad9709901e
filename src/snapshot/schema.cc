#include "snapshot/schema.h"

#include <fmt/format.h>

namespace bulwark::snapshot {

const TableSpec* FindTable(const Schema& schema, const std::string& name) {
  for (const auto& t : schema) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::vector<std::string> CallsFilling(const TableSpec& table, const std::string& column) {
  std::vector<std::string> calls = table.calls;
  for (const auto& c : table.columns) {
    if (c.name == column && !c.filled_by.empty()) calls.push_back(c.filled_by);
  }
  return calls;
}

const char* SqlType(ColumnType type) {
  switch (type) {
    case ColumnType::kInteger:
    case ColumnType::kBoolean:
      return "INTEGER";
    case ColumnType::kReal:
      return "REAL";
    case ColumnType::kText:
    case ColumnType::kJson:
    case ColumnType::kTimestamp:
      return "TEXT";
  }
  return "TEXT";
}

std::string SchemaSql(const Schema& schema) {
  std::string sql;
  for (const auto& t : schema) {
    sql += fmt::format("CREATE TABLE {} (\n  account_id TEXT NOT NULL,\n  region TEXT NOT NULL",
                       t.name);
    for (const auto& c : t.columns) sql += fmt::format(",\n  {} {}", c.name, SqlType(c.type));
    sql += ",\n  raw TEXT\n);\n";
  }
  sql +=
      "CREATE TABLE collection_errors (\n"
      "  account_id TEXT, region TEXT NOT NULL, service TEXT NOT NULL, operation TEXT NOT NULL,\n"
      "  error_code TEXT, http_status INTEGER, message TEXT NOT NULL, recorded_at TEXT NOT NULL,\n"
      "  resource_id TEXT\n"
      ");\n"
      "CREATE TABLE snapshot_info (\n"
      "  tool_version TEXT, account_id TEXT, partition TEXT, regions TEXT, endpoint_url TEXT,\n"
      "  started_at TEXT, finished_at TEXT, api_calls INTEGER, retries INTEGER,\n"
      "  throttled INTEGER, errors INTEGER\n"
      ");\n"
      // calls: JSON list of the calls whose failure leaves the column unknown; is_key: the
      // column that names a row in a per-resource collection error.
      "CREATE TABLE snapshot_tables (\n"
      "  table_name TEXT, column_name TEXT, column_type TEXT, description TEXT,\n"
      "  calls TEXT, is_key INTEGER\n"
      ");\n";
  return sql;
}

}  // namespace bulwark::snapshot
