// `bulwark hunt`'s engine: reads CloudTrail logs (the {"Records":[...]} files AWS writes
// to S3, plain or gzipped, in directory trees; JSON lines; lookup-events output) and VPC
// flow logs (version 2 default format or any custom format named by a header line), runs
// the Sigma rules over every record on every core, then evaluates correlation rules over
// the matches in time order.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "hunt/sigma.h"

namespace bulwark::hunt {

struct Alert {
  const Rule* rule = nullptr;
  int64_t time_ms = 0;       // the (first) matching event's time
  int64_t last_time_ms = 0;  // correlations: the last event of the window
  std::string principal;
  std::string source_ip;
  std::string region;
  std::string group;                // correlations: the group-by values
  size_t event_count = 1;           // correlations: events in the window
  std::vector<std::string> events;  // the matching event(s) as JSON or log lines (capped)
  bool events_are_json = true;      // false: flow log lines
  std::string file;
};

struct InputProblem {
  std::string file;
  uint64_t offset = 0;
  std::string message;
};

// What a responder asks first: per principal and per source address.
struct ActivitySummary {
  struct Entry {
    uint64_t calls = 0;
    uint64_t errors = 0;
    int64_t first_ms = 0;
    int64_t last_ms = 0;
    std::map<std::string, uint64_t> actions;  // eventName -> count
    std::map<std::string, uint64_t> regions;
    std::map<std::string, uint64_t> others;  // source IPs of a principal, principals of an IP
  };
  std::map<std::string, Entry> principals;
  std::map<std::string, Entry> source_ips;
  void Merge(const ActivitySummary& other);
};

struct HuntOptions {
  int threads = 0;  // 0: every core
  bool summary = false;
  size_t chunk_bytes = 8 << 20;  // JSON lines files are split into chunks this large
  // Files of at most this many bytes (as stored and decompressed) are read whole; larger
  // JSON-lines and flow log files are streamed in chunk_bytes pieces, and one JSON
  // document (a Records file) larger than this is reported and skipped.
  size_t whole_file_bytes = size_t{256} << 20;
  size_t max_events_per_alert = 10;
  // Read CloudTrail records with the record scanner (only the fields rules name), the DOM
  // parser taking over documents the scanner refuses; false: the DOM parser reads all.
  bool scan_records = true;
};

struct HuntStats {
  uint64_t files = 0;
  uint64_t bytes = 0;             // uncompressed bytes read
  uint64_t compressed_bytes = 0;  // of gzipped files, as stored
  uint64_t events = 0;
  uint64_t cloudtrail_events = 0;
  uint64_t flow_records = 0;
  uint64_t malformed = 0;
  double seconds = 0;
};

struct HuntResult {
  std::vector<Alert> alerts;  // sorted by time
  HuntStats stats;
  std::vector<InputProblem> problems;  // every problem; callers print the first few
  ActivitySummary summary;
};

// Expands PATH arguments: files, directories (recursively: *.json, *.json.gz, *.jsonl,
// *.log, *.gz, *.txt and other regular files), "-" for standard input.
std::vector<std::string> ExpandInputs(const std::vector<std::string>& paths,
                                      std::vector<InputProblem>& problems);

HuntResult Hunt(const RuleSet& rules, const std::vector<std::string>& inputs,
                const HuntOptions& options);

// One buffer already in memory (tests, fuzzing): format detection and all.
HuntResult HuntBuffer(const RuleSet& rules, const std::string& name, std::string data,
                      const HuntOptions& options);

}  // namespace bulwark::hunt
