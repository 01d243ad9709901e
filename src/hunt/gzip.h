// Gzip decompression for log files: libdeflate's whole-buffer decoder (multi-member
// streams included), and zlib's streaming inflate to salvage what precedes the damage in
// a truncated or corrupt file and to decode, piece by piece, what is too large to hold.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace bulwark::hunt {

bool LooksGzipped(std::string_view data);

struct GunzipResult {
  std::string data;  // everything decompressed (all of it, or what precedes the damage)
  bool complete = true;
  bool too_large = false;   // decoding stopped at `max_out` bytes; `data` is not complete
  uint64_t bad_offset = 0;  // compressed byte offset where decoding failed
  std::string error;
};

// `reuse` lends its buffer (capacity) to the result, sparing a fresh allocation. Decoding
// never holds more than `max_out` decoded bytes: past them it stops with too_large.
GunzipResult Gunzip(std::string_view compressed, std::string reuse = {}, size_t max_out = SIZE_MAX);

// Bytes read piece by piece.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to `room` bytes into `out`; 0 at the end of the stream (or at an error).
  virtual size_t Read(char* out, size_t room) = 0;
  // Set when the stream ended on an error; `error_offset` is where (in this stream's input).
  std::string error;
  uint64_t error_offset = 0;
};

// Bytes held in memory.
class MemorySource : public ByteSource {
 public:
  explicit MemorySource(std::string_view data) : data_(data) {}
  size_t Read(char* out, size_t room) override;

 private:
  std::string_view data_;
};

// The decoded bytes of a gzip stream (concatenated members included) read from another
// source; memory stays that of zlib's window and one input buffer.
class GunzipSource : public ByteSource {
 public:
  explicit GunzipSource(ByteSource& compressed);
  ~GunzipSource() override;
  GunzipSource(const GunzipSource&) = delete;
  GunzipSource& operator=(const GunzipSource&) = delete;
  size_t Read(char* out, size_t room) override;
  uint64_t compressed_bytes() const { return pulled_; }

 private:
  ByteSource& in_;
  struct State;
  std::unique_ptr<State> state_;
  uint64_t pulled_ = 0;  // compressed bytes taken from `in_`
  bool member_ended_ = false;
  bool done_ = false;
};

}  // namespace bulwark::hunt
