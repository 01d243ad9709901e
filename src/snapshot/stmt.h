// A prepared SQLite statement that finalizes itself, for the small databases beside the
// snapshot (scan history, the watch outbox).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "snapshot/snapshot.h"

namespace bulwark::snapshot {

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) {
    ok_ = sqlite3_prepare_v2(db, sql, -1, &st_, nullptr) == SQLITE_OK;
  }
  ~Stmt() { sqlite3_finalize(st_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return ok_; }
  sqlite3_stmt* get() { return st_; }
  void Bind(int i, const std::string& v) {
    sqlite3_bind_text(st_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void Bind(int i, int64_t v) { sqlite3_bind_int64(st_, i, v); }
  std::string Text(int i) { return ColumnText(st_, i); }
  // Runs a statement that returns no rows; false when it could not be prepared or failed.
  bool Run() { return ok_ && sqlite3_step(st_) == SQLITE_DONE; }

 private:
  sqlite3_stmt* st_ = nullptr;
  bool ok_ = false;
};

}  // namespace bulwark::snapshot
