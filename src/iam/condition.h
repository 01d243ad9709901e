// IAM condition operators: String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress and
// NotIpAddress (IPv4 and IPv6 CIDRs), Arn*, Null, the ...IfExists forms and the
// ForAllValues:/ForAnyValue: set operators, as AWS documents them: several values of one
// key are ORed, several keys and several operators are ANDed, a negated operator on a
// missing key is true, and ForAllValues on a missing key is true.
#pragma once

#include <string>

#include "iam/policy.h"
#include "iam/request.h"

namespace bulwark::iam {

// Whether the clause holds for the request. `variables` substitutes policy variables in
// the clause's values (policies of version 2012-10-17). An unknown operator never holds,
// and `unknown` is set so the caller can report it.
bool ConditionHolds(const ConditionClause& clause, const RequestContext& ctx, bool variables,
                    bool* unknown = nullptr);

// Whether the operator (without IfExists or a set prefix) is one AWS defines.
bool KnownOperator(const std::string& base_op);

}  // namespace bulwark::iam
