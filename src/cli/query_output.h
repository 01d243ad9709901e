// Runs a SQL statement over a snapshot and prints the result as a terminal table, JSON or
// CSV (RFC 4180).
#pragma once

#include <sqlite3.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "util/status.h"

namespace bulwark::cli {

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;  // nullopt = SQL NULL
  std::vector<std::vector<int>> types;                        // SQLITE_INTEGER, ... per cell
};

Result<QueryResult> RunQuery(sqlite3* db, const std::string& sql);

void WriteTable(std::ostream& out, const QueryResult& r);
// An array of objects; numbers stay numbers, and text holding a JSON object or array (the
// raw and json columns) is embedded as JSON rather than as a string.
void WriteJson(std::ostream& out, const QueryResult& r);
void WriteCsv(std::ostream& out, const QueryResult& r);

}  // namespace bulwark::cli
