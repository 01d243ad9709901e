// STS: who the credentials belong to. Collection starts here, since every row carries the
// account id.
#include "collect/sts.h"

#include "aws/xml_json.h"
#include "collect/service.h"

namespace bulwark::collect {

Result<CallerIdentity> GetCallerIdentity(aws::AwsClient& client, const std::string& region) {
  Result<nlohmann::json> doc = client.Query("sts", region, "GetCallerIdentity");
  if (!doc.ok()) return doc.status();
  CallerIdentity id;
  id.account_id = aws::StringOr(*doc, "Account");
  id.arn = aws::StringOr(*doc, "Arn");
  id.user_id = aws::StringOr(*doc, "UserId");
  id.raw = *doc;
  if (id.account_id.empty()) {
    return Status::Parse("sts:GetCallerIdentity answered without an Account");
  }
  return id;
}

void PutCallerIdentity(CollectContext& ctx, const CallerIdentity& id) {
  ctx.Put("aws_account", "global", {{"arn", id.arn}, {"user_id", id.user_id}}, id.raw);
}

ServiceSpec service::sts() {
  using T = snapshot::ColumnType;
  return {"sts",
          Scope::kGlobal,
          [](const std::string&, std::vector<CollectTask>&) {},
          {{"aws_account",
            "The account the credentials belong to (sts:GetCallerIdentity).",
            {{"arn", T::kText, "ARN of the calling identity"},
             {"user_id", T::kText, "unique id of the calling identity"}},
            {"sts:GetCallerIdentity"},
            "arn"}}};
}

}  // namespace bulwark::collect
