#include "hunt/gzip.h"

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace bulwark::hunt {
namespace {

// Streaming inflate (gzip, concatenated members) keeping everything decoded before an
// error; used only when the fast path fails.
GunzipResult Salvage(std::string_view in, size_t max_out) {
  GunzipResult r;
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) {
    r.complete = false;
    r.error = "cannot initialise zlib";
    return r;
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  char buf[1 << 16];
  int rc = Z_OK;
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    r.data.append(buf, sizeof(buf) - zs.avail_out);
    if (r.data.size() > max_out) {
      r.data.resize(max_out);
      r.too_large = true;
      inflateEnd(&zs);
      return r;
    }
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      inflateReset(&zs);  // another member follows
      continue;
    }
    if (rc != Z_OK) break;
    if (zs.avail_in == 0 && zs.avail_out != 0) {
      rc = Z_BUF_ERROR;  // input ended inside a member
      break;
    }
  }
  if (rc != Z_STREAM_END) {
    r.complete = false;
    r.error = rc == Z_BUF_ERROR ? "truncated gzip stream" : "corrupt gzip stream";
    r.bad_offset = in.size() - zs.avail_in;
  }
  inflateEnd(&zs);
  return r;
}

}  // namespace

bool LooksGzipped(std::string_view d) {
  return d.size() >= 2 && static_cast<unsigned char>(d[0]) == 0x1f &&
         static_cast<unsigned char>(d[1]) == 0x8b;
}

GunzipResult Gunzip(std::string_view in, std::string reuse, size_t max_out) {
  GunzipResult r;
  r.data = std::move(reuse);
  r.data.clear();
  std::unique_ptr<libdeflate_decompressor, void (*)(libdeflate_decompressor*)> d(
      libdeflate_alloc_decompressor(), libdeflate_free_decompressor);
  size_t pos = 0;
  while (pos < in.size()) {
    std::string_view member = in.substr(pos);
    // The trailer's ISIZE (size mod 2^32) of a single member is a good first guess.
    size_t guess = member.size() * 4 + 1024;
    if (member.size() >= 18) {
      const auto* t = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
      size_t isize = t[0] | (t[1] << 8) | (t[2] << 16) | (size_t(t[3]) << 24);
      // Trusted only within what deflate can plausibly reach: a forged trailer must not
      // make a 60-byte file allocate gigabytes (the buffer still grows when needed).
      if (isize > 0) guess = std::max(guess, std::min(isize + 16, member.size() * 64 + (1 << 20)));
    }
    size_t start = r.data.size();
    const size_t room = max_out - std::min(max_out, start);
    guess = std::min(guess, room);
    for (;;) {
      r.data.resize(start + guess + 64);
      size_t used_in = 0, used_out = 0;
      libdeflate_result res = libdeflate_gzip_decompress_ex(
          d.get(), member.data(), member.size(), r.data.data() + start, guess, &used_in, &used_out);
      if (res == LIBDEFLATE_SUCCESS) {
        r.data.resize(start + used_out);  // capacity stays: room for the parser's padding
        pos += used_in;
        break;
      }
      if (res == LIBDEFLATE_INSUFFICIENT_SPACE) {
        if (guess == room) {
          r.data.resize(start + guess);
          r.too_large = true;
          return r;
        }
        guess = std::min(room, guess * 2);
        continue;
      }
      // Damaged: decode again with zlib, keeping what comes before the damage.
      return Salvage(in, max_out);
    }
  }
  return r;
}

size_t MemorySource::Read(char* out, size_t room) {
  size_t n = std::min(room, data_.size());
  std::memcpy(out, data_.data(), n);
  data_.remove_prefix(n);
  return n;
}

struct GunzipSource::State {
  z_stream zs{};
  bool ok = false;
  char in[1 << 16];
};

GunzipSource::GunzipSource(ByteSource& compressed) : in_(compressed), state_(new State) {
  state_->ok = inflateInit2(&state_->zs, 15 + 32) == Z_OK;
  if (!state_->ok) {
    error = "cannot initialise zlib";
    done_ = true;
  }
}

GunzipSource::~GunzipSource() {
  if (state_->ok) inflateEnd(&state_->zs);
}

size_t GunzipSource::Read(char* out, size_t room) {
  z_stream& zs = state_->zs;
  size_t produced = 0;
  while (produced < room && !done_) {
    if (zs.avail_in == 0) {
      size_t n = in_.Read(state_->in, sizeof(state_->in));
      if (n == 0) {
        done_ = true;
        if (!in_.error.empty()) {
          error = in_.error;
          error_offset = in_.error_offset;
        } else if (!member_ended_) {
          error = "truncated gzip stream at compressed byte " + std::to_string(pulled_);
          error_offset = pulled_;
        }
        break;
      }
      pulled_ += n;
      zs.next_in = reinterpret_cast<Bytef*>(state_->in);
      zs.avail_in = static_cast<uInt>(n);
    }
    if (member_ended_) {
      inflateReset(&zs);  // another member follows
      member_ended_ = false;
    }
    zs.next_out = reinterpret_cast<Bytef*>(out + produced);
    zs.avail_out = static_cast<uInt>(std::min<size_t>(room - produced, 1u << 30));
    size_t before = zs.avail_out;
    int rc = inflate(&zs, Z_NO_FLUSH);
    produced += before - zs.avail_out;
    if (rc == Z_STREAM_END) {
      member_ended_ = true;
    } else if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
      continue;  // wants more input
    } else if (rc != Z_OK) {
      done_ = true;
      error_offset = pulled_ - zs.avail_in;
      error = "corrupt gzip stream at compressed byte " + std::to_string(error_offset);
    }
  }
  return produced;
}

}  // namespace bulwark::hunt
