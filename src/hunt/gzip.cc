#include "hunt/gzip.h"

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <memory>

namespace bulwark::hunt {
namespace {

// Streaming inflate (gzip, concatenated members) keeping everything decoded before an
// error; used only when the fast path fails.
GunzipResult Salvage(std::string_view in) {
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

GunzipResult Gunzip(std::string_view in, std::string reuse) {
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
        guess *= 2;
        continue;
      }
      // Damaged: decode again with zlib, keeping what comes before the damage.
      return Salvage(in);
    }
  }
  return r;
}

}  // namespace bulwark::hunt
