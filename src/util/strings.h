// Small string helpers shared by the wire layer, the collectors and the command line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bulwark {

std::string ToLower(std::string_view s);
std::string Trim(std::string_view s);
// Splits on a delimiter; keeps empty pieces.
std::vector<std::string> Split(std::string_view s, char delim);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);

// One CSV field as RFC 4180 writes it: quoted (quotes doubled) when it holds , " or a newline.
std::string CsvField(std::string_view s);
// Text for XML or HTML content and attribute values: & < > " ' escaped, control
// characters other than tab and newline dropped (XML 1.0 cannot carry them).
std::string EscapeMarkup(std::string_view s);

// RFC 3986 percent-encoding as SigV4 requires it: everything but A-Z a-z 0-9 - _ . ~ is
// encoded, with upper-case hex. With keep_slash, '/' is left as is (for URI paths).
std::string UriEncode(std::string_view s, bool keep_slash = false);
// Decodes %XX sequences; with plus_as_space, '+' becomes ' ' (form bodies).
std::string UriDecode(std::string_view s, bool plus_as_space = false);

}  // namespace bulwark
