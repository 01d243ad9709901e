// Findings in the formats other tools read: SARIF 2.1.0 (code-scanning dashboards; one rule
// per check, muted findings as suppressed results), JUnit XML (one test case per check and
// resource), the AWS Security Finding Format (a JSON list ready for `aws securityhub
// batch-import-findings`), and OCSF Compliance Finding events (class 2003, JSON lines).
// Timestamps come from the snapshot, so the same snapshot gives the same bytes.
#pragma once

#include <ostream>

#include "findings/report.h"

namespace bulwark::findings {

void WriteSarif(std::ostream& out, const Report& report);
void WriteJunit(std::ostream& out, const Report& report);
void WriteAsff(std::ostream& out, const Report& report);
void WriteOcsf(std::ostream& out, const Report& report);

}  // namespace bulwark::findings
