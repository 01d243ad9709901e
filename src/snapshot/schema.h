// The snapshot's tables, declared as data (like osquery's table specs): name, typed columns
// and what each holds. Every resource table also gets account_id, region and raw (the
// resource's JSON as the AWS CLI prints it). Names follow Steampipe's AWS tables.
#pragma once

#include <string>
#include <vector>

namespace bulwark::snapshot {

enum class ColumnType { kText, kInteger, kBoolean, kJson, kTimestamp, kReal };

struct ColumnSpec {
  std::string name;
  ColumnType type;
  std::string description;
};

struct TableSpec {
  std::string name;
  std::string description;
  std::vector<ColumnSpec> columns;  // without the implicit account_id, region, raw
};

const std::vector<TableSpec>& ResourceTables();
const TableSpec* FindTable(const std::string& name);
const char* SqlType(ColumnType type);
// CREATE TABLE statements for every table, including collection_errors and snapshot_info.
std::string SchemaSql();

}  // namespace bulwark::snapshot
