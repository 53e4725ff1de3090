#include "service/load.h"

#include "config/loader.h"

namespace sonde {

std::shared_ptr<const Config> LoadOrReport(const std::string& path, std::FILE* out) {
  LoadResult result = LoadConfigFile(path);
  if (result.ok()) return result.config;
  for (const Diagnostic& d : result.errors) std::fprintf(out, "%s\n", d.ToString().c_str());
  std::fprintf(out, "%s: %zu error%s\n", path.c_str(), result.errors.size(),
               result.errors.size() == 1 ? "" : "s");
  return nullptr;
}

}  // namespace sonde
