#include "collect/context.h"

#include <fmt/format.h>

#include <ctime>

#include "aws/xml_json.h"

namespace bulwark::collect {

void CollectContext::RecordError(const std::string& service, const std::string& operation,
                                 const std::string& region, const Status& status,
                                 const std::string& resource) {
  snapshot::CollectionError e;
  e.resource_id = resource;
  e.account_id = account_id;
  e.region = region;
  e.service = service;
  e.operation = operation;
  e.error_code = status.aws_code();
  if (e.error_code.empty()) {
    switch (status.code()) {
      case Status::Code::kParse:
        e.error_code = "MalformedResponse";
        break;
      case Status::Code::kNetwork:
        e.error_code = "NetworkError";
        break;
      default:
        e.error_code = "ClientError";
        break;
    }
  }
  e.http_status = status.http_status();
  e.message = status.message();
  snapshot.RecordError(e);
  progress.Message(fmt::format("error: {}", status.ToString()));
}

bool CollectContext::Check(const Status& status, const std::string& service,
                           const std::string& operation, const std::string& region,
                           const std::string& resource) {
  if (status.ok()) return true;
  RecordError(service, operation, region, status, resource);
  return false;
}

nlohmann::json CollectContext::PolicyDocument(const std::string& text, const std::string& service,
                                              const std::string& operation,
                                              const std::string& region,
                                              const std::string& resource) {
  if (text.empty()) return nullptr;
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_discarded() && doc.is_object()) return doc;
  RecordError(service, operation, region,
              Status::Parse(fmt::format("{}:{} of {}: the policy is not a JSON object", service,
                                        operation, resource)),
              resource);
  return text;
}

void CollectContext::Put(const std::string& table, const std::string& region,
                         const nlohmann::json& row, const nlohmann::json& raw) {
  Status s = snapshot.Insert(table, account_id, region, row, raw);
  if (!s.ok()) RecordError("snapshot", "insert " + table, region, s);
}

std::string CollectContext::Arn(const std::string& service, const std::string& region,
                                const std::string& resource) const {
  return fmt::format("arn:{}:{}:{}:{}:{}", partition, service, region, account_id, resource);
}

nlohmann::json NullIfEmpty(const std::string& s) {
  return s.empty() ? nlohmann::json() : nlohmann::json(s);
}

nlohmann::json OptionalInt(const nlohmann::json& doc, const char* key) {
  if (!doc.is_object() || !doc.contains(key) || doc[key].is_null()) return nullptr;
  return aws::IntOr(doc, key);
}

nlohmann::json TimestampValue(const nlohmann::json& v) {
  if (v.is_number()) return snapshot::FormatIso8601(static_cast<std::time_t>(v.get<double>()));
  if (v.is_string() && !v.get_ref<const std::string&>().empty()) return v;
  return nullptr;
}

nlohmann::json TagsToObject(const nlohmann::json& tag_list) {
  nlohmann::json out = nlohmann::json::object();
  if (!tag_list.is_array()) return out;
  for (const auto& t : tag_list) {
    std::string key = aws::StringOr(t, "Key");
    if (!key.empty()) out[key] = aws::StringOr(t, "Value");
  }
  return out;
}

}  // namespace bulwark::collect
