// The snapshot's tables, declared as data (like osquery's table specs): name, typed columns,
// what each holds, and the API calls that fill it. Every resource table also gets
// account_id, region and raw (the resource's JSON as the AWS CLI prints it). Names follow
// Steampipe's AWS tables. The tables themselves are declared by the collectors, one service
// file each (src/collect/services/); this file knows only their shape.
#pragma once

#include <string>
#include <vector>

namespace bulwark::snapshot {

enum class ColumnType { kText, kInteger, kBoolean, kJson, kTimestamp, kReal };

struct ColumnSpec {
  std::string name;
  ColumnType type;
  std::string description;
  // The call ("service:Operation") that fills this column when it is not the table's own
  // listing call, e.g. cloudtrail:GetTrailStatus for a trail's is_logging. When that call
  // fails the column is unknown (for the one row it was about, or for the region).
  std::string filled_by = {};
};

struct TableSpec {
  std::string name;
  std::string description;
  std::vector<ColumnSpec> columns;  // without the implicit account_id, region, raw
  // The calls that list the rows: when one fails, rows may be missing.
  std::vector<std::string> calls = {};
  // The column that names a row in a per-resource collection error (its resource_id).
  std::string key = {};
};

// What a snapshot holds: the tables of every collected service.
using Schema = std::vector<TableSpec>;

const TableSpec* FindTable(const Schema& schema, const std::string& name);
const char* SqlType(ColumnType type);
// The calls whose failure leaves `column` of `table` unknown: the table's own, and the
// column's filled_by. An empty column means the rows themselves (count(*), EXISTS).
std::vector<std::string> CallsFilling(const TableSpec& table, const std::string& column);
// CREATE TABLE statements for every table, including collection_errors, snapshot_info and
// snapshot_tables (the schema as rows: what `SELECT * FROM snapshot_tables` shows, and the
// map from columns to calls that scans use to tell an unreadable input from a clean one).
std::string SchemaSql(const Schema& schema);

}  // namespace bulwark::snapshot
