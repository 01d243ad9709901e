// Hashing, HMAC and encodings on OpenSSL, as SigV4 and the response parsers need them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bulwark::aws {

std::string Sha256(std::string_view data);  // raw 32 bytes
std::string Sha256Hex(std::string_view data);
// SHA-1, only where AWS tools name files by it (the SSO token cache).
std::string Sha1Hex(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string HexEncode(std::string_view bytes);
std::string Base64Encode(std::string_view bytes);
// Returns nullopt when the input is not valid base64.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace bulwark::aws
