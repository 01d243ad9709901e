// Matching of IAM patterns: actions (case-insensitive, '*' and '?'), resources and ARNs
// (case-sensitive, each of the six ARN parts on its own), and policy variables
// (${aws:username}, ${aws:PrincipalTag/team}, ${key, 'default'}, ${*}, ${?}, ${$}).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "iam/request.h"

namespace bulwark::iam {

bool WildcardMatch(std::string_view pattern, std::string_view text, bool ignore_case);

// "s3:Get*" against "s3:GetObject".
bool ActionMatches(std::string_view pattern, std::string_view action);

// A Resource pattern or ArnLike value against an ARN: the service, region, account and
// resource parts are matched separately so a wildcard never spans a colon it should not.
bool ArnMatches(std::string_view pattern, std::string_view arn);

// The account part of an ARN ("arn:aws:iam::111122223333:user/a" -> "111122223333"); ""
// when it has none.
std::string AccountOfArn(std::string_view arn);

// The account a Principal value names as a whole: "111122223333" or
// "arn:aws:iam::111122223333:root" (any partition); "" for anything else.
std::string_view AccountOfPrincipal(std::string_view value);

// Replaces policy variables with the request's values. nullopt when a variable names a key
// the request does not carry and has no default: such a pattern matches nothing.
std::optional<std::string> SubstituteVariables(std::string_view text, const RequestContext& ctx);
// The same for a wildcard pattern: substituted text (${*} included) is escaped so it only
// ever matches itself.
std::optional<std::string> SubstituteVariablesAsPattern(std::string_view text,
                                                        const RequestContext& ctx);

}  // namespace bulwark::iam
