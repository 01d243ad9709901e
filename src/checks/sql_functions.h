// SQL functions registered on every snapshot connection that runs checks or queries, for
// the logic plain SQL expresses badly: CIDR and port ranges, and IAM/resource policy
// documents (JSON text with string-or-list fields, wildcards and conditions).
//
//   cidr_is_world(cidr)                  1 when the prefix length is 0 (0.0.0.0/0, ::/0)
//   cidr_prefix_length(cidr)             the prefix length, NULL when not a CIDR
//   port_range_includes(from, to, port)  1 when port is in [from, to]; NULL or -1 bounds
//                                        (protocol "all") include every port
//   policy_allows_public(doc)            1 when an Allow statement is open to any principal
//                                        without a condition that narrows who can use it
//   policy_public_actions(doc)           those statements' actions, comma-separated, or NULL
//   policy_grants_full_admin(doc)        1 when an Allow statement grants "*" on "*"
//   policy_allows_action(doc, action)    1 when an Allow statement's Action (wildcards,
//                                        case-insensitive) covers the action
//   policy_denies_insecure_transport(doc) 1 when a Deny statement for everyone covers S3
//                                        requests with aws:SecureTransport false
//   policy_condition_keys(doc)           condition keys of Allow statements, comma-separated
//   policy_service_wildcards(doc)        "service:*" actions allowed on Resource "*",
//                                        comma-separated, or NULL
//
//   trusted_account(id_or_arn)           1 when the account (or the ARN's account) is one the
//                                        mutelist's trusted_accounts names
//
// The IAM evaluator's functions (iam_can, iam_is_admin, ...) are registered with these; see
// checks/iam_functions.h.
//
// A document that is NULL or not JSON yields 0 (or NULL for the text functions): checks
// treat a missing policy as granting nothing.
#pragma once

#include <sqlite3.h>

#include <string>
#include <vector>

namespace bulwark::checks {

// Registers the functions on db; returns false (and sets *error) when SQLite refuses one.
bool RegisterSqlFunctions(sqlite3* db, std::string* error);
// The accounts trusted_account() accepts on this connection (none until set).
bool SetTrustedAccounts(sqlite3* db, const std::vector<std::string>& accounts, std::string* error);

// The same logic for C++ callers and tests.
bool CidrIsWorld(const std::string& cidr);
int CidrPrefixLength(const std::string& cidr);  // -1 when not a CIDR
bool PolicyAllowsPublic(const std::string& doc, std::string* actions = nullptr);
bool PolicyGrantsFullAdmin(const std::string& doc);
bool PolicyAllowsAction(const std::string& doc, const std::string& action);
bool PolicyDeniesInsecureTransport(const std::string& doc);
std::string PolicyServiceWildcards(const std::string& doc);  // "" when none
// Glob match with '*' and '?' as IAM uses them in actions, case-insensitive.
bool IamWildcardMatch(const std::string& pattern, const std::string& text);

}  // namespace bulwark::checks
