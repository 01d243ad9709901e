#include "util/status.h"

#include <fmt/format.h>

namespace bulwark {

std::string Status::ToString() const {
  if (ok()) return "OK";
  if (!aws_code_.empty()) {
    return fmt::format("{} (HTTP {}): {}", aws_code_, http_status_, message_);
  }
  return message_;
}

}  // namespace bulwark
