// EFS, per region: file systems and their encryption.
#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using aws::ArrayOrEmpty;
using aws::BoolOr;
using aws::StringOr;
using nlohmann::json;

bool FileSystems(CollectContext& ctx, const std::string& region) {
  Status s = ctx.client.PaginateRestJson(
      "elasticfilesystem", region, "/2015-02-01/file-systems", {}, "Marker", "NextMarker",
      [&](const json& page) {
        for (const auto& fs : ArrayOrEmpty(page, "FileSystems")) {
          json row = {{"file_system_id", StringOr(fs, "FileSystemId")},
                      {"arn", StringOr(fs, "FileSystemArn")},
                      {"name", NullIfEmpty(StringOr(fs, "Name"))},
                      {"encrypted", BoolOr(fs, "Encrypted")},
                      {"kms_key_id", NullIfEmpty(StringOr(fs, "KmsKeyId"))},
                      {"life_cycle_state", StringOr(fs, "LifeCycleState")},
                      {"performance_mode", StringOr(fs, "PerformanceMode")},
                      {"throughput_mode", StringOr(fs, "ThroughputMode")},
                      {"tags", TagsToObject(fs.value("Tags", json()))}};
          ctx.Put("aws_efs_file_system", region, row, fs);
        }
      });
  return ctx.Check(s, "elasticfilesystem", "DescribeFileSystems", region);
}

void AddEfsTasks(const std::string& region, std::vector<CollectTask>& tasks) {
  const std::string& r = region;
  tasks.push_back(
      {"efs " + r + " file systems", [r](CollectContext& c) { return FileSystems(c, r); }});
}

}  // namespace

ServiceSpec service::efs() {
  using T = snapshot::ColumnType;
  return {"efs",
          Scope::kRegional,
          AddEfsTasks,
          {{"aws_efs_file_system",
            "elasticfilesystem:DescribeFileSystems.",
            {{"file_system_id", T::kText, ""},
             {"arn", T::kText, ""},
             {"name", T::kText, ""},
             {"encrypted", T::kBoolean, ""},
             {"kms_key_id", T::kText, ""},
             {"life_cycle_state", T::kText, ""},
             {"performance_mode", T::kText, ""},
             {"throughput_mode", T::kText, ""},
             {"tags", T::kJson, "{key: value}"}},
            {"elasticfilesystem:DescribeFileSystems"},
            "file_system_id"}}};
}

}  // namespace bulwark::collect
