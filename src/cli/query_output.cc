#include "cli/query_output.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <nlohmann/json.hpp>

#include "util/strings.h"

namespace bulwark::cli {

namespace {

// Reading is all a query may do: no writes (not even to TEMP tables), no ATTACH (which
// could create a file), no VACUUM INTO, no PRAGMA that changes the connection.
int ReadOnly(void* denied, int action, const char* a, const char*, const char*, const char*) {
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    case SQLITE_UPDATE:
      // Table-valued functions (json_each) declare their columns through the schema.
      if (a && (std::strcmp(a, "sqlite_master") == 0 || std::strcmp(a, "sqlite_temp_master") == 0))
        return SQLITE_OK;
      break;
    case SQLITE_PRAGMA:
      // The pragmas that describe tables, as pragma_table_info('t') and friends read them.
      for (const char* name : {"table_info", "table_xinfo", "table_list", "index_list",
                               "index_info", "index_xinfo", "foreign_key_list"}) {
        if (a && std::strcmp(a, name) == 0) return SQLITE_OK;
      }
      break;
    default:
      break;
  }
  *static_cast<bool*>(denied) = true;
  return SQLITE_DENY;
}

// The rest of the text after the first statement, without spaces, semicolons and comments.
std::string AfterFirstStatement(const char* tail) {
  std::string rest;
  for (const char* p = tail; p && *p;) {
    if (std::isspace(static_cast<unsigned char>(*p)) || *p == ';') {
      ++p;
    } else if (p[0] == '-' && p[1] == '-') {
      while (*p && *p != '\n') ++p;
    } else if (p[0] == '/' && p[1] == '*') {
      const char* end = std::strstr(p + 2, "*/");
      p = end ? end + 2 : p + std::strlen(p);
    } else {
      rest = p;
      break;
    }
  }
  return rest;
}

}  // namespace

Result<QueryResult> RunQuery(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  bool denied = false;
  sqlite3_set_authorizer(db, ReadOnly, &denied);
  int prepared = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, &tail);
  sqlite3_set_authorizer(db, nullptr, nullptr);
  if (prepared != SQLITE_OK) {
    if (denied) {
      return Status::InvalidArgument(fmt::format(
          "the query may only read the snapshot (SELECT); refused: {}", sqlite3_errmsg(db)));
    }
    return Status::InvalidArgument(fmt::format("SQL error: {}", sqlite3_errmsg(db)));
  }
  if (!stmt) return Status::InvalidArgument("SQL error: the query is empty");
  if (!sqlite3_stmt_readonly(stmt)) {  // VACUUM (INTO) asks no authorizer
    sqlite3_finalize(stmt);
    return Status::InvalidArgument("the query may only read the snapshot (SELECT)");
  }
  std::string rest = AfterFirstStatement(tail);
  if (!rest.empty()) {
    sqlite3_finalize(stmt);
    return Status::InvalidArgument(
        fmt::format("the query holds more than one statement; give one (the second begins: {})",
                    rest.substr(0, 40)));
  }
  QueryResult r;
  int ncol = sqlite3_column_count(stmt);
  for (int i = 0; i < ncol; ++i) r.columns.emplace_back(sqlite3_column_name(stmt, i));
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    std::vector<std::optional<std::string>> row;
    std::vector<int> types;
    for (int i = 0; i < ncol; ++i) {
      int t = sqlite3_column_type(stmt, i);
      types.push_back(t);
      if (t == SQLITE_NULL) {
        row.emplace_back(std::nullopt);
      } else {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        row.emplace_back(std::string(reinterpret_cast<const char*>(text),
                                     static_cast<size_t>(sqlite3_column_bytes(stmt, i))));
      }
    }
    r.rows.push_back(std::move(row));
    r.types.push_back(std::move(types));
  }
  Status s;
  if (rc != SQLITE_DONE)
    s = Status::InvalidArgument(fmt::format("SQL error: {}", sqlite3_errmsg(db)));
  sqlite3_finalize(stmt);
  if (!s.ok()) return s;
  return r;
}

namespace {

constexpr size_t kMaxCell = 60;

// Display width in code points, so UTF-8 text lines up.
size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Cell(const std::optional<std::string>& v) {
  if (!v) return "NULL";
  std::string s = *v;
  std::replace(s.begin(), s.end(), '\n', ' ');
  if (Width(s) > kMaxCell) {
    size_t cut = 0;
    size_t count = 0;
    while (cut < s.size() && count < kMaxCell - 1) {
      ++cut;
      while (cut < s.size() && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) ++cut;
      ++count;
    }
    s = s.substr(0, cut) + "…";
  }
  return s;
}

}  // namespace

void WriteTable(std::ostream& out, const QueryResult& r) {
  std::vector<size_t> widths;
  for (const auto& c : r.columns) widths.push_back(Width(c));
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : r.rows) {
    std::vector<std::string> line;
    for (size_t i = 0; i < row.size(); ++i) {
      line.push_back(Cell(row[i]));
      widths[i] = std::max(widths[i], Width(line.back()));
    }
    cells.push_back(std::move(line));
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size(); ++i) {
      out << (i ? " | " : "") << row[i];
      if (i + 1 < row.size()) out << std::string(widths[i] - Width(row[i]), ' ');
    }
    out << "\n";
  };
  print_row(r.columns);
  for (size_t i = 0; i < widths.size(); ++i) out << (i ? "-+-" : "") << std::string(widths[i], '-');
  out << "\n";
  for (const auto& row : cells) print_row(row);
  out << fmt::format("({} row{})\n", r.rows.size(), r.rows.size() == 1 ? "" : "s");
}

void WriteJson(std::ostream& out, const QueryResult& r) {
  nlohmann::json arr = nlohmann::json::array();
  for (size_t ri = 0; ri < r.rows.size(); ++ri) {
    nlohmann::json obj = nlohmann::json::object();
    for (size_t i = 0; i < r.columns.size(); ++i) {
      const auto& v = r.rows[ri][i];
      int t = r.types[ri][i];
      if (!v) {
        obj[r.columns[i]] = nullptr;
      } else if (t == SQLITE_INTEGER) {
        obj[r.columns[i]] = std::stoll(*v);
      } else if (t == SQLITE_FLOAT) {
        obj[r.columns[i]] = std::stod(*v);
      } else {
        nlohmann::json embedded;
        if (!v->empty() && (v->front() == '{' || v->front() == '[')) {
          embedded = nlohmann::json::parse(*v, nullptr, false);
        }
        obj[r.columns[i]] =
            (!embedded.is_discarded() && (embedded.is_object() || embedded.is_array()))
                ? embedded
                : nlohmann::json(*v);
      }
    }
    arr.push_back(std::move(obj));
  }
  out << arr.dump(2) << "\n";
}

namespace {}  // namespace

void WriteCsv(std::ostream& out, const QueryResult& r) {
  for (size_t i = 0; i < r.columns.size(); ++i) out << (i ? "," : "") << CsvField(r.columns[i]);
  out << "\r\n";
  for (const auto& row : r.rows) {
    for (size_t i = 0; i < row.size(); ++i)
      out << (i ? "," : "") << (row[i] ? CsvField(*row[i]) : "");
    out << "\r\n";
  }
}

}  // namespace bulwark::cli
