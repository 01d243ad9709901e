// One libFuzzer binary for the fuzz targets (built once, with clang): the target is chosen
// by BULWARK_FUZZ_TARGET = cloudtrail, flowlog, sigma, policy, aws, mutelist, check or ini.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

int FuzzCloudTrail(const uint8_t* data, size_t size);
int FuzzFlowLog(const uint8_t* data, size_t size);
int FuzzSigma(const uint8_t* data, size_t size);
int FuzzPolicy(const uint8_t* data, size_t size);
int FuzzAws(const uint8_t* data, size_t size);
int FuzzMutelist(const uint8_t* data, size_t size);
int FuzzCheck(const uint8_t* data, size_t size);
int FuzzIni(const uint8_t* data, size_t size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string target = [] {
    const char* t = std::getenv("BULWARK_FUZZ_TARGET");
    return std::string(t ? t : "cloudtrail");
  }();
  if (target == "flowlog") return FuzzFlowLog(data, size);
  if (target == "sigma") return FuzzSigma(data, size);
  if (target == "policy") return FuzzPolicy(data, size);
  if (target == "aws") return FuzzAws(data, size);
  if (target == "mutelist") return FuzzMutelist(data, size);
  if (target == "check") return FuzzCheck(data, size);
  if (target == "ini") return FuzzIni(data, size);
  return FuzzCloudTrail(data, size);
}
