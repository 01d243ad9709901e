// A service's collector declared as data: the tables it fills (with the calls that fill
// each column) next to the function that queues its collection tasks. Each file in
// src/collect/services/ defines one `ServiceSpec service::<file name>()`; the build lists
// those files (CMake globs them into services.inc), so adding a service edits no central
// list. The schema, the snapshot_tables docs and the scan's map from tables to calls all
// come from these declarations.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "collect/context.h"
#include "snapshot/schema.h"

namespace bulwark::collect {

enum class Scope {
  kGlobal,    // collected once, from the home region (IAM, S3 listing, CloudFront)
  kRegional,  // collected in every requested region
};

struct ServiceSpec {
  std::string name;
  Scope scope = Scope::kRegional;
  // Queues the service's tasks for one region (the home region for a global service).
  std::function<void(const std::string& region, std::vector<CollectTask>& tasks)> add_tasks;
  std::vector<snapshot::TableSpec> tables;
};

// Every service, in file-name order.
const std::vector<ServiceSpec>& Services();
// The tables of every service: what a new snapshot is created with.
const snapshot::Schema& SnapshotSchema();

namespace service {
#define BULWARK_SERVICE(name) ServiceSpec name();
#include "bulwark/services.inc"
#undef BULWARK_SERVICE
}  // namespace service

}  // namespace bulwark::collect
