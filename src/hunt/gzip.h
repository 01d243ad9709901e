// Gzip decompression for log files: libdeflate's whole-buffer decoder (multi-member
// streams included), and zlib's streaming inflate to salvage what precedes the damage in
// a truncated or corrupt file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bulwark::hunt {

bool LooksGzipped(std::string_view data);

struct GunzipResult {
  std::string data;  // everything decompressed (all of it, or what precedes the damage)
  bool complete = true;
  uint64_t bad_offset = 0;  // compressed byte offset where decoding failed
  std::string error;
};

// `reuse` lends its buffer (capacity) to the result, sparing a fresh allocation.
GunzipResult Gunzip(std::string_view compressed, std::string reuse = {});

}  // namespace bulwark::hunt
