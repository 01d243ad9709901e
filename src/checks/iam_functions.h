// SQL functions backed by the IAM evaluator, registered with the other check functions:
// posture checks ask for exact decisions instead of matching policy text.
//
//   iam_policy_allows(doc, action[, resource])  1 when a principal holding only this identity
//                                     policy would be allowed (no request context: allows
//                                     that need a condition do not count, denies do)
//   iam_can(principal_arn, action[, resource])  1 when the snapshot's user or role may do it,
//                                     with every policy that applies (groups, boundary,
//                                     resource and trust policies); NULL for an unknown
//                                     principal
//   iam_is_admin(principal_arn)       1 when the principal may do everything, or can grant
//                                     itself anything; NULL for an unknown principal
//   iam_admin_reason(principal_arn)   why it is one, or NULL
//   iam_escalation_path(principal_arn)  the steps from a non-administrator to administrator
//                                     ("role/deployer: assume it [sts:AssumeRole]; ..."), or
//                                     NULL when there is none
//
// The account model and the escalation graph are built from the connection's snapshot the
// first time a query needs them, once per connection.
#pragma once

#include <sqlite3.h>

#include <string>
#include <utility>
#include <vector>

namespace bulwark::checks {

bool RegisterIamFunctions(sqlite3* db, std::string* error);

// The snapshot columns (table, column) a function reads behind the query's back, through the
// account model (empty for a function that reads only its arguments). A scan adds them to
// the columns a check's SQL reads, so a failed call under them makes the check ERROR.
std::vector<std::pair<std::string, std::string>> IamFunctionReads(const std::string& function);

}  // namespace bulwark::checks
