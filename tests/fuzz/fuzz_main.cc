// One libFuzzer binary for the fuzz targets (built once, with clang): the target is chosen
// by BULWARK_FUZZ_TARGET = cloudtrail, flowlog, sigma or policy.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

int FuzzCloudTrail(const uint8_t* data, size_t size);
int FuzzFlowLog(const uint8_t* data, size_t size);
int FuzzSigma(const uint8_t* data, size_t size);
int FuzzPolicy(const uint8_t* data, size_t size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string target = [] {
    const char* t = std::getenv("BULWARK_FUZZ_TARGET");
    return std::string(t ? t : "cloudtrail");
  }();
  if (target == "flowlog") return FuzzFlowLog(data, size);
  if (target == "sigma") return FuzzSigma(data, size);
  if (target == "policy") return FuzzPolicy(data, size);
  return FuzzCloudTrail(data, size);
}
