#include "findings/html.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "util/strings.h"

namespace bulwark::findings {
namespace {

std::string Anchor(const std::string& check_id) { return "check-" + check_id; }

// A horizontal bar chart as inline SVG: one bar per (label, count), largest first.
std::string BarChart(const std::string& title, const std::map<std::string, int>& counts,
                     const std::string& id) {
  std::vector<std::pair<int, std::string>> rows;
  for (const auto& [k, v] : counts) rows.emplace_back(v, k);
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  if (rows.size() > 12) rows.resize(12);
  int max = rows.empty() ? 1 : std::max(1, rows.front().first);
  const int bar_h = 18, label_w = 170, width = 460;
  std::string svg = fmt::format(
      "<figure class=\"chart\" id=\"{}\"><figcaption>{}</figcaption><svg role=\"img\" "
      "width=\"{}\" height=\"{}\" aria-label=\"{}\">",
      id, EscapeMarkup(title), width, std::max(1, static_cast<int>(rows.size())) * (bar_h + 4),
      EscapeMarkup(title));
  for (size_t i = 0; i < rows.size(); ++i) {
    int y = static_cast<int>(i) * (bar_h + 4);
    int w = (width - label_w - 50) * rows[i].first / max;
    svg += fmt::format(
        "<g class=\"bar\"><text x=\"0\" y=\"{}\">{}</text><rect x=\"{}\" y=\"{}\" width=\"{}\" "
        "height=\"{}\" class=\"sev-{}\"></rect><text x=\"{}\" y=\"{}\">{}</text></g>",
        y + 13, EscapeMarkup(rows[i].second), label_w, y, std::max(w, 1), bar_h,
        EscapeMarkup(rows[i].second), label_w + w + 6, y + 13, rows[i].first);
  }
  if (rows.empty()) svg += "<text x=\"0\" y=\"14\">none</text>";
  return svg + "</svg></figure>\n";
}

const char* kStyle = R"CSS(
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:16px 28px}header h1{margin:0 0 4px;font-size:22px}
header dl{display:flex;flex-wrap:wrap;gap:4px 24px;margin:0}header dt{opacity:.7}header dd{margin:0}
main{padding:12px 28px}section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:12px 18px;margin:14px 0}
.counts{display:flex;gap:12px;flex-wrap:wrap}.count{padding:8px 14px;border-radius:6px;background:#eef1f5;min-width:90px}
.count b{display:block;font-size:22px}.charts{display:flex;flex-wrap:wrap;gap:12px}.chart{margin:0}
.chart figcaption{font-weight:600;margin-bottom:4px}.bar text{font-size:12px;fill:#1d2330}
rect{fill:#6b7a90}.sev-critical{fill:#7a0019}.sev-high{fill:#c0392b}.sev-medium{fill:#e67e22}.sev-low{fill:#2980b9}.sev-informational{fill:#95a5a6}
table{border-collapse:collapse;width:100%}.scroll{overflow-x:auto}td:nth-child(6){word-break:break-all;max-width:26em}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e5e8ec;vertical-align:top}
th{cursor:pointer;user-select:none;background:#f0f2f5;position:sticky;top:0}th[data-dir=asc]::after{content:" \25B2"}th[data-dir=desc]::after{content:" \25BC"}
.status{font-weight:600}.FAIL{color:#c0392b}.PASS{color:#1e8449}.MUTED{color:#7f8c8d}.ERROR{color:#8e44ad}.MANUAL{color:#2c3e50}
.filters{display:flex;flex-wrap:wrap;gap:8px;margin-bottom:8px}.filters input{flex:1;min-width:200px;padding:4px}
.check h3{margin:4px 0}.muted-note{color:#7f8c8d}small{color:#5d6778}
)CSS";

// Filters and sorting over the rendered rows. No network, no libraries.
const char* kScript = R"JS(
(function(){
  var table=document.getElementById('findings'),rows=[].slice.call(table.tBodies[0].rows);
  var f={status:document.getElementById('f-status'),severity:document.getElementById('f-severity'),
         service:document.getElementById('f-service'),region:document.getElementById('f-region'),
         text:document.getElementById('f-text')};
  function apply(){
    var t=f.text.value.toLowerCase(),shown=0;
    rows.forEach(function(r){
      var ok=(!f.status.value||r.dataset.status===f.status.value)&&(!f.severity.value||r.dataset.severity===f.severity.value)&&
             (!f.service.value||r.dataset.service===f.service.value)&&(!f.region.value||r.dataset.region===f.region.value)&&
             (!t||r.textContent.toLowerCase().indexOf(t)>=0);
      r.hidden=!ok;if(ok)shown++;});
    document.getElementById('shown').textContent=shown;
  }
  Object.keys(f).forEach(function(k){f[k].addEventListener('input',apply);});
  [].forEach.call(table.tHead.rows[0].cells,function(th,i){
    th.addEventListener('click',function(){
      var dir=th.dataset.dir==='asc'?'desc':'asc';
      [].forEach.call(table.tHead.rows[0].cells,function(c){delete c.dataset.dir;});th.dataset.dir=dir;
      var key=function(r){return r.cells[i].dataset.sort||r.cells[i].textContent;};
      rows.sort(function(a,b){var x=key(a),y=key(b);return (x<y?-1:x>y?1:0)*(dir==='asc'?1:-1);});
      rows.forEach(function(r){table.tBodies[0].appendChild(r);});
    });
  });
  var p=new URLSearchParams(location.search);Object.keys(f).forEach(function(k){if(p.get(k))f[k].value=p.get(k);});
  apply();document.body.dataset.ready='1';
})();
)JS";

int SeverityRank(Severity s) { return static_cast<int>(s); }

}  // namespace

void WriteHtml(std::ostream& out, const Report& r) {
  std::map<std::string, int> by_status, by_severity, by_service, by_region, by_framework;
  std::set<std::string> services, regions;
  for (const auto& f : r.findings) {
    by_status[ToString(f.status)]++;
    services.insert(f.service);
    regions.insert(f.region);
    if (f.status != FindingStatus::kFail) continue;
    by_severity[ToString(f.severity)]++;
    by_service[f.service]++;
    by_region[f.region]++;
    for (const auto& [framework, ids] : f.compliance) by_framework[framework]++;
  }
  std::string account = r.snapshot.value("account_id", "");
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      << "<title>bulwark report " << EscapeMarkup(account) << "</title><style>" << kStyle
      << "</style></head>\n<body>\n<header><h1>bulwark posture report</h1><dl>"
      << fmt::format("<dt>Account</dt><dd id=\"account\">{}</dd>", EscapeMarkup(account))
      << fmt::format("<dt>Partition</dt><dd>{}</dd>",
                     EscapeMarkup(r.snapshot.value("partition", "")))
      << fmt::format("<dt>Snapshot</dt><dd>{} to {}</dd>",
                     EscapeMarkup(r.snapshot.value("started_at", "")),
                     EscapeMarkup(r.snapshot.value("finished_at", "")))
      << fmt::format(
             "<dt>Regions</dt><dd>{}</dd>",
             EscapeMarkup(r.snapshot.contains("regions") ? r.snapshot["regions"].dump() : ""))
      << fmt::format("<dt>Collection errors</dt><dd>{}</dd>",
                     r.snapshot.value("collection_errors", 0))
      << fmt::format("<dt>Checks</dt><dd>{}</dd><dt>bulwark</dt><dd>{}</dd>", r.checks.size(),
                     EscapeMarkup(r.tool_version))
      << "</dl></header>\n<main>\n";

  out << "<section id=\"overview\"><h2>Overview</h2><div class=\"counts\">";
  for (const char* s : {"FAIL", "PASS", "MUTED", "ERROR", "MANUAL"}) {
    out << fmt::format("<div class=\"count {0}\" id=\"count-{0}\"><b>{1}</b>{0}</div>", s,
                       by_status.count(s) ? by_status[s] : 0);
  }
  out << "</div><div class=\"charts\">"
      << BarChart("Failures by severity", by_severity, "chart-severity")
      << BarChart("Failures by service", by_service, "chart-service")
      << BarChart("Failures by region", by_region, "chart-region")
      << BarChart("Failures by compliance framework", by_framework, "chart-compliance")
      << "</div></section>\n";

  auto options = [&](const char* id, const char* label, const std::vector<std::string>& values) {
    out << fmt::format("<select id=\"{}\" aria-label=\"{}\"><option value=\"\">{}: all</option>",
                       id, label, label);
    for (const auto& v : values) out << fmt::format("<option>{}</option>", EscapeMarkup(v));
    out << "</select>";
  };
  out << "<section id=\"findings-section\"><h2>Findings (<span id=\"shown\">" << r.findings.size()
      << "</span> of " << r.findings.size() << ")</h2><div class=\"filters\">";
  options("f-status", "Status", {"FAIL", "PASS", "MUTED", "ERROR", "MANUAL"});
  options("f-severity", "Severity", {"critical", "high", "medium", "low", "informational"});
  options("f-service", "Service", {services.begin(), services.end()});
  options("f-region", "Region", {regions.begin(), regions.end()});
  out << "<input id=\"f-text\" type=\"search\" placeholder=\"Search resources, checks, messages\">"
      << "</div>\n<div class=\"scroll\"><table "
         "id=\"findings\"><thead><tr><th>Status</th><th>Severity</th><th>Check</th>"
      << "<th>Service</th><th>Region</th><th>Resource</th><th>Message</th></tr></thead><tbody>\n";
  for (const auto& f : r.findings) {
    out << fmt::format(
        "<tr data-status=\"{0}\" data-severity=\"{1}\" data-service=\"{2}\" data-region=\"{3}\">"
        "<td class=\"status {0}\">{0}</td><td data-sort=\"{4}\">{1}</td><td><a href=\"#{5}\">{6}"
        "</a></td><td>{2}</td><td>{3}</td><td>{7}</td><td>{8}{9}</td></tr>\n",
        ToString(f.status), ToString(f.severity), EscapeMarkup(f.service), EscapeMarkup(f.region),
        SeverityRank(f.severity), EscapeMarkup(Anchor(f.check_id)), EscapeMarkup(f.check_id),
        EscapeMarkup(f.resource_arn.empty() ? f.resource_id : f.resource_arn),
        EscapeMarkup(f.message),
        f.status == FindingStatus::kMuted
            ? fmt::format(" <span class=\"muted-note\">(muted by {}: {})</span>",
                          EscapeMarkup(f.mute_owner), EscapeMarkup(f.mute_reason))
            : "");
  }
  out << "</tbody></table></div></section>\n<section id=\"checks\"><h2>Checks</h2>\n";
  std::map<std::string, std::vector<const Finding*>> by_check;  // one pass, not one per check
  for (const auto& f : r.findings) by_check[f.check_id].push_back(&f);
  for (const auto& [id, c] : r.checks) {
    const std::vector<const Finding*>& mine = by_check[id];
    int fails = 0;
    for (const Finding* f : mine) fails += f->status == FindingStatus::kFail;
    out << fmt::format(
        "<article class=\"check\" id=\"{}\"><h3>{} <small>{} &middot; {} &middot; {} "
        "failing of {}</small></h3><p>{}</p><p><b>Remediation:</b> {}{}</p>",
        EscapeMarkup(Anchor(id)), EscapeMarkup(c.title), EscapeMarkup(id), ToString(c.severity),
        fails, mine.size(), EscapeMarkup(c.rationale), EscapeMarkup(c.remediation),
        c.remediation_url.empty()
            ? ""
            : fmt::format(" <a href=\"{}\">documentation</a>", EscapeMarkup(c.remediation_url)));
    if (!c.compliance.empty()) {
      out << "<p><b>Compliance:</b> ";
      for (const auto& id : ComplianceIds(c.compliance, " ")) out << EscapeMarkup(id) << "; ";
      out << "</p>";
    }
    if (!mine.empty()) {
      out << "<ul>";
      for (const Finding* f : mine) {
        out << fmt::format("<li><span class=\"status {0}\">{0}</span> {1} {2}: {3}</li>",
                           ToString(f->status), EscapeMarkup(f->region),
                           EscapeMarkup(f->resource_id), EscapeMarkup(f->message));
      }
      out << "</ul>";
    }
    out << "</article>\n";
  }
  out << "</section>\n</main>\n<script>" << kScript << "</script>\n</body></html>\n";
}

}  // namespace bulwark::findings
