// What every collector function receives: the API client, the snapshot to fill, the
// account, and a way to queue more work (e.g. one task per S3 bucket).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "aws/client.h"
#include "collect/progress.h"
#include "snapshot/snapshot.h"

namespace bulwark::collect {

struct CollectContext;

// A unit of collection work: typically one table in one region.
struct CollectTask {
  std::string label;                         // "ec2 us-east-1 security groups"
  std::function<bool(CollectContext&)> run;  // false = it recorded an error
};

struct CollectContext {
  aws::AwsClient& client;
  snapshot::Snapshot& snapshot;
  Progress& progress;
  std::string account_id;
  std::string partition = "aws";
  std::function<void(CollectTask)> spawn;  // queue a follow-up task
  // Waits between credential-report polls; injected so tests do not sleep.
  std::function<void(double)> sleep;

  // Records a failed API call in collection_errors (never with credentials in it).
  // `resource` names the one resource the call was about, if any (see CollectionError).
  void RecordError(const std::string& service, const std::string& operation,
                   const std::string& region, const Status& status,
                   const std::string& resource = "");
  // true when status is OK; otherwise records it (as RecordError) and returns false.
  bool Check(const Status& status, const std::string& service, const std::string& operation,
             const std::string& region, const std::string& resource = "");
  // A resource policy returned as text, parsed; NULL for no policy. Text that is not JSON
  // is recorded as the call's error for `resource` (its findings are ERROR, never a PASS
  // for "no policy") and kept as a JSON string, which a scan refuses to read as a policy.
  nlohmann::json PolicyDocument(const std::string& text, const std::string& service,
                                const std::string& operation, const std::string& region,
                                const std::string& resource);
  // Inserts a row; a failed insert is recorded as a collection error.
  void Put(const std::string& table, const std::string& region, const nlohmann::json& row,
           const nlohmann::json& raw);
  std::string Arn(const std::string& service, const std::string& region,
                  const std::string& resource) const;
};

// NULL for an empty string, so absent values are NULL in SQL rather than ''.
nlohmann::json NullIfEmpty(const std::string& s);
// An integer field as a number, or NULL when the field is absent or null.
nlohmann::json OptionalInt(const nlohmann::json& doc, const char* key);
// An API timestamp (epoch seconds as a number, or an ISO-8601 string) as ISO-8601 text.
nlohmann::json TimestampValue(const nlohmann::json& v);

// {"Key": k, "Value": v} lists (as AWS returns tags) to a {k: v} object.
nlohmann::json TagsToObject(const nlohmann::json& tag_list);

}  // namespace bulwark::collect
