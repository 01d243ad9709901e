// The HTML report: one self-contained file (CSS and JavaScript inline, no fetches) with an
// overview (counts and bar charts by severity, service, region and compliance framework),
// the findings table (filter by status, severity, service, region and text; sort by any
// column), a section per check (rationale, remediation, affected resources) and the
// snapshot's facts. Everything is rendered in the file; the script only filters and sorts.
#pragma once

#include <ostream>

#include "findings/report.h"

namespace bulwark::findings {

void WriteHtml(std::ostream& out, const Report& report);

}  // namespace bulwark::findings
