// S3: the global bucket list, then per bucket (in the bucket's own region) its ACL,
// policy, public access block, default encryption, versioning and access logging.
// rest-xml answers are read with pugixml here: S3's shapes are few and irregular
// (flattened lists, xsi:type attributes), so the generic converter is not used.
#include <fmt/format.h>

#include <pugixml.hpp>

#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {
namespace {

using nlohmann::json;

constexpr const char* kListRegion = "us-east-1";

// The "configuration does not exist" answers: facts about the bucket, not failures.
bool IsAbsentConfiguration(const Status& s) {
  const std::string& c = s.aws_code();
  return c == "NoSuchBucketPolicy" || c == "NoSuchPublicAccessBlockConfiguration" ||
         c == "ServerSideEncryptionConfigurationNotFoundError" || c == "NoSuchConfiguration" ||
         c == "NoSuchLifecycleConfiguration";
}

// `call` names the call for the error, e.g. "s3:GetBucketAcl of bucket web".
Status ParseXml(const std::string& body, pugi::xml_document& doc, const std::string& call) {
  if (!doc.load_buffer(body.data(), body.size())) {
    return Status::Parse(call + ": response is not valid XML");
  }
  return Status::Ok();
}

struct BucketState {
  std::string name;
  std::string region;
  json row;
  json raw;
  bool ok = true;
};

// GETs one sub-resource (?acl, ?policy, ...) and hands the body to `read`. A failed call or
// an unreadable answer is recorded; an absent configuration is not a failure.
void SubResource(CollectContext& ctx, BucketState& b, const std::string& sub,
                 const std::string& operation,
                 const std::function<Status(const std::string&)>& read) {
  Result<std::string> body = ctx.client.RestXml("s3", b.region, "GET", "/", {{sub, ""}}, b.name);
  Status s = body.ok() ? read(*body) : body.status();
  if (!s.ok() && !IsAbsentConfiguration(s)) {
    ctx.RecordError("s3", operation, b.region, s, b.name);
    b.ok = false;
  }
}

void ReadAcl(CollectContext& ctx, BucketState& b) {
  SubResource(ctx, b, "acl", "GetBucketAcl", [&](const std::string& body) {
    pugi::xml_document doc;
    Status parsed = ParseXml(body, doc, "s3:GetBucketAcl of bucket " + b.name);
    if (!parsed.ok()) return parsed;
    pugi::xml_node policy = doc.child("AccessControlPolicy");
    b.row["owner_id"] = policy.child("Owner").child_value("ID");
    json grants = json::array();
    for (pugi::xml_node g : policy.child("AccessControlList").children("Grant")) {
      pugi::xml_node grantee = g.child("Grantee");
      json gj = json::object();
      std::string type = grantee.attribute("xsi:type").value();
      if (!type.empty()) gj["Type"] = type;
      for (const char* field : {"ID", "DisplayName", "URI", "EmailAddress"}) {
        if (grantee.child(field)) gj[field] = grantee.child_value(field);
      }
      grants.push_back({{"Grantee", gj}, {"Permission", g.child_value("Permission")}});
    }
    b.row["acl_grants"] = grants;
    b.raw["Grants"] = grants;
    return Status::Ok();
  });
}

void ReadPolicy(CollectContext& ctx, BucketState& b) {
  SubResource(ctx, b, "policy", "GetBucketPolicy", [&](const std::string& body) {
    json doc = json::parse(body, nullptr, false);
    if (doc.is_discarded()) {
      return Status::Parse(
          fmt::format("s3:GetBucketPolicy of bucket {}: policy is not valid JSON", b.name));
    }
    b.row["policy"] = doc;
    b.raw["Policy"] = doc;
    return Status::Ok();
  });
}

void ReadPublicAccessBlock(CollectContext& ctx, BucketState& b) {
  SubResource(ctx, b, "publicAccessBlock", "GetPublicAccessBlock", [&](const std::string& body) {
    pugi::xml_document doc;
    Status parsed = ParseXml(body, doc, "s3:GetPublicAccessBlock of bucket " + b.name);
    if (!parsed.ok()) return parsed;
    pugi::xml_node c = doc.child("PublicAccessBlockConfiguration");
    json cfg = json::object();
    const std::pair<const char*, const char*> fields[] = {
        {"BlockPublicAcls", "block_public_acls"},
        {"IgnorePublicAcls", "ignore_public_acls"},
        {"BlockPublicPolicy", "block_public_policy"},
        {"RestrictPublicBuckets", "restrict_public_buckets"}};
    for (const auto& [xml, column] : fields) {
      bool v = std::string_view(c.child_value(xml)) == "true";
      cfg[xml] = v;
      b.row[column] = v;
    }
    b.raw["PublicAccessBlockConfiguration"] = cfg;
    return Status::Ok();
  });
}

void ReadEncryption(CollectContext& ctx, BucketState& b) {
  SubResource(ctx, b, "encryption", "GetBucketEncryption", [&](const std::string& body) {
    pugi::xml_document doc;
    Status parsed = ParseXml(body, doc, "s3:GetBucketEncryption of bucket " + b.name);
    if (!parsed.ok()) return parsed;
    json rules = json::array();
    for (pugi::xml_node r : doc.child("ServerSideEncryptionConfiguration").children("Rule")) {
      json rule = json::object();
      pugi::xml_node def = r.child("ApplyServerSideEncryptionByDefault");
      if (def) {
        json d = {{"SSEAlgorithm", def.child_value("SSEAlgorithm")}};
        if (def.child("KMSMasterKeyID")) d["KMSMasterKeyID"] = def.child_value("KMSMasterKeyID");
        rule["ApplyServerSideEncryptionByDefault"] = d;
      }
      if (r.child("BucketKeyEnabled")) {
        rule["BucketKeyEnabled"] = std::string_view(r.child_value("BucketKeyEnabled")) == "true";
      }
      rules.push_back(rule);
    }
    json cfg = {{"Rules", rules}};
    b.row["server_side_encryption_configuration"] = cfg;
    b.raw["ServerSideEncryptionConfiguration"] = cfg;
    return Status::Ok();
  });
}

void ReadVersioning(CollectContext& ctx, BucketState& b) {
  SubResource(ctx, b, "versioning", "GetBucketVersioning", [&](const std::string& body) {
    pugi::xml_document doc;
    Status parsed = ParseXml(body, doc, "s3:GetBucketVersioning of bucket " + b.name);
    if (!parsed.ok()) return parsed;
    pugi::xml_node v = doc.document_element();
    std::string status = v.child_value("Status");
    std::string mfa = v.child_value("MfaDelete");
    b.row["versioning_enabled"] = status == "Enabled";
    b.row["versioning_mfa_delete"] = mfa == "Enabled";
    b.raw["Versioning"] = {{"Status", NullIfEmpty(status)}, {"MFADelete", NullIfEmpty(mfa)}};
    return Status::Ok();
  });
}

void ReadLogging(CollectContext& ctx, BucketState& b) {
  SubResource(ctx, b, "logging", "GetBucketLogging", [&](const std::string& body) {
    pugi::xml_document doc;
    Status parsed = ParseXml(body, doc, "s3:GetBucketLogging of bucket " + b.name);
    if (!parsed.ok()) return parsed;
    pugi::xml_node enabled = doc.child("BucketLoggingStatus").child("LoggingEnabled");
    json logging = json::object();
    if (enabled) {
      logging = {{"TargetBucket", enabled.child_value("TargetBucket")},
                 {"TargetPrefix", enabled.child_value("TargetPrefix")}};
      b.row["logging_target_bucket"] = enabled.child_value("TargetBucket");
      b.row["logging_target_prefix"] = enabled.child_value("TargetPrefix");
    }
    b.raw["LoggingEnabled"] = enabled ? logging : json();
    return Status::Ok();
  });
}

void ReadLifecycle(CollectContext& ctx, BucketState& b) {
  b.row["lifecycle_rules"] = json::array();
  SubResource(ctx, b, "lifecycle", "GetBucketLifecycleConfiguration", [&](const std::string& body) {
    pugi::xml_document doc;
    Status parsed = ParseXml(body, doc, "s3:GetBucketLifecycleConfiguration of bucket " + b.name);
    if (!parsed.ok()) return parsed;
    json rules = json::array();
    for (pugi::xml_node r : doc.document_element().children("Rule")) {
      auto days = [](pugi::xml_node n, const char* child) -> json {
        const char* v = n.child_value(child);
        return *v ? json(std::atoi(v)) : json();
      };
      int transitions = 0;
      for (pugi::xml_node t : r.children("Transition")) transitions += t ? 1 : 0;
      rules.push_back({{"ID", r.child_value("ID")},
                       {"Status", r.child_value("Status")},
                       {"ExpirationDays", days(r.child("Expiration"), "Days")},
                       {"NoncurrentVersionExpirationDays",
                        days(r.child("NoncurrentVersionExpiration"), "NoncurrentDays")},
                       {"Transitions", transitions}});
    }
    b.row["lifecycle_rules"] = rules;
    b.raw["LifecycleRules"] = rules;
    return Status::Ok();
  });
}

// GetBucketLocation: "" means us-east-1 and the legacy "EU" means eu-west-1.
std::string NormalizeLocation(const std::string& constraint) {
  if (constraint.empty()) return "us-east-1";
  if (constraint == "EU") return "eu-west-1";
  return constraint;
}

bool Bucket(CollectContext& ctx, const std::string& name, const std::string& created) {
  Result<std::string> loc =
      ctx.client.RestXml("s3", kListRegion, "GET", "/", {{"location", ""}}, name);
  if (!loc.ok()) {
    ctx.RecordError("s3", "GetBucketLocation", kListRegion, loc.status());
    return false;
  }
  pugi::xml_document doc;
  if (!ctx.Check(ParseXml(*loc, doc, "s3:GetBucketLocation of bucket " + name), "s3",
                 "GetBucketLocation", kListRegion)) {
    return false;
  }
  std::string constraint = doc.document_element().child_value();
  BucketState b;
  b.name = name;
  b.region = NormalizeLocation(constraint);
  b.row = {{"name", name},
           {"arn", fmt::format("arn:{}:s3:::{}", ctx.partition, name)},
           {"creation_date", NullIfEmpty(created)}};
  b.raw = {
      {"Name", name}, {"CreationDate", created}, {"LocationConstraint", NullIfEmpty(constraint)}};
  ReadAcl(ctx, b);
  ReadPolicy(ctx, b);
  ReadPublicAccessBlock(ctx, b);
  ReadEncryption(ctx, b);
  ReadVersioning(ctx, b);
  ReadLogging(ctx, b);
  ReadLifecycle(ctx, b);
  ctx.Put("aws_s3_bucket", b.region, b.row, b.raw);
  return b.ok;
}

// ListBuckets pages with ContinuationToken when max-buckets is given.
bool Buckets(CollectContext& ctx) {
  std::string token;
  do {
    aws::QueryParams query = {{"max-buckets", "1000"}};
    if (!token.empty()) query.emplace_back("continuation-token", token);
    Result<std::string> body = ctx.client.RestXml("s3", kListRegion, "GET", "/", query);
    if (!body.ok()) {
      ctx.RecordError("s3", "ListBuckets", kListRegion, body.status());
      return false;
    }
    pugi::xml_document doc;
    if (!ctx.Check(ParseXml(*body, doc, "s3:ListBuckets"), "s3", "ListBuckets", kListRegion)) {
      return false;
    }
    pugi::xml_node result = doc.child("ListAllMyBucketsResult");
    for (pugi::xml_node bucket : result.child("Buckets").children("Bucket")) {
      std::string name = bucket.child_value("Name");
      std::string created = bucket.child_value("CreationDate");
      ctx.spawn({"s3 bucket " + name,
                 [name, created](CollectContext& c) { return Bucket(c, name, created); }});
    }
    std::string next = result.child_value("ContinuationToken");
    token = next == token ? "" : next;
  } while (!token.empty());
  return true;
}

void AddS3Tasks(const std::string& /*home_region*/, std::vector<CollectTask>& tasks) {
  tasks.push_back({"s3 buckets", [](CollectContext& c) { return Buckets(c); }});
}

}  // namespace

ServiceSpec service::s3() {
  using T = snapshot::ColumnType;
  return {
      "s3",
      Scope::kGlobal,
      AddS3Tasks,
      {{"aws_s3_bucket",
        "S3 buckets (global list) with location, ACL, policy, public access block, default "
        "encryption, versioning and logging. region is the bucket's region.",
        {{"name", T::kText, ""},
         {"arn", T::kText, ""},
         {"creation_date", T::kTimestamp, ""},
         {"owner_id", T::kText, "", "s3:GetBucketAcl"},
         {"acl_grants", T::kJson, "[{Grantee: {...}, Permission}]", "s3:GetBucketAcl"},
         {"policy", T::kJson, "bucket policy document; NULL when none", "s3:GetBucketPolicy"},
         {"block_public_acls", T::kBoolean, "NULL when no public access block",
          "s3:GetPublicAccessBlock"},
         {"ignore_public_acls", T::kBoolean, "", "s3:GetPublicAccessBlock"},
         {"block_public_policy", T::kBoolean, "", "s3:GetPublicAccessBlock"},
         {"restrict_public_buckets", T::kBoolean, "", "s3:GetPublicAccessBlock"},
         {"server_side_encryption_configuration", T::kJson, "NULL when none",
          "s3:GetBucketEncryption"},
         {"versioning_enabled", T::kBoolean, "", "s3:GetBucketVersioning"},
         {"versioning_mfa_delete", T::kBoolean, "", "s3:GetBucketVersioning"},
         {"logging_target_bucket", T::kText, "NULL when access logging is off",
          "s3:GetBucketLogging"},
         {"logging_target_prefix", T::kText, "", "s3:GetBucketLogging"},
         {"lifecycle_rules", T::kJson,
          "[{ID, Status, ExpirationDays, NoncurrentVersionExpirationDays, Transitions}], [] when "
          "none",
          "s3:GetBucketLifecycleConfiguration"}},
        {"s3:ListBuckets", "s3:GetBucketLocation"},
        "name"}}};
}

}  // namespace bulwark::collect
