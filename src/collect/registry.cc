#include <algorithm>

#include "collect/service.h"

namespace bulwark::collect {

const std::vector<ServiceSpec>& Services() {
  // Built once from constant declarations and never changed afterwards.
  static const std::vector<ServiceSpec> services = {
#define BULWARK_SERVICE(name) service::name(),
#include "bulwark/services.inc"
#undef BULWARK_SERVICE
  };
  return services;
}

const snapshot::Schema& SnapshotSchema() {
  static const snapshot::Schema schema = [] {
    snapshot::Schema out;
    for (const auto& s : Services()) out.insert(out.end(), s.tables.begin(), s.tables.end());
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
  }();
  return schema;
}

}  // namespace bulwark::collect
