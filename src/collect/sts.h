// The caller identity (sts:GetCallerIdentity): account id, ARN and user id.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "aws/client.h"
#include "collect/context.h"

namespace bulwark::collect {

struct CallerIdentity {
  std::string account_id;
  std::string arn;
  std::string user_id;
  nlohmann::json raw;
};

Result<CallerIdentity> GetCallerIdentity(aws::AwsClient& client, const std::string& region);
void PutCallerIdentity(CollectContext& ctx, const CallerIdentity& id);

}  // namespace bulwark::collect
