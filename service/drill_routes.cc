#include "service/drill_routes.h"

#include <boost/url/parse.hpp>
#include <charconv>
#include <optional>

namespace sonde {
namespace {

std::optional<uint64_t> ParseUnsigned(const std::string& text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

}  // namespace

std::pair<int, std::string> RouteDrillRequest(DrillService& drills, const std::string& method,
                                              const std::string& target,
                                              const std::string& authorization) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return {400, "{\"error\": \"malformed request target\"}\n"};
  const std::string path = url->path();
  auto method_not_allowed = [] { return std::pair<int, std::string>{405, "{\"error\": \"method not allowed\"}\n"}; };
  if (path == "/api/v1/heal") {
    if (method != "POST") return method_not_allowed();
    auto r = drills.Heal(authorization);
    return {r.status, r.body};
  }
  if (path == "/api/v1/drills") {
    if (method != "GET") return method_not_allowed();
    auto r = drills.Status();
    return {r.status, r.body};
  }
  const std::string prefix = "/api/v1/drills/";
  // /api/v1/drills/NAME/record?run=N
  const std::string record = "/record";
  if (path.size() > prefix.size() + record.size() && path.rfind(prefix, 0) == 0 &&
      path.compare(path.size() - record.size(), record.size(), record) == 0) {
    if (method != "GET") return method_not_allowed();
    const std::string name = path.substr(prefix.size(), path.size() - prefix.size() - record.size());
    std::optional<uint64_t> run;
    for (const auto& p : url->params()) {
      if (p.key == "run") run = ParseUnsigned(p.value);
    }
    if (!run) return {400, "{\"error\": \"run: expected ?run=N, an unsigned integer\"}\n"};
    auto r = drills.Record(name, *run);
    return {r.status, r.body};
  }
  // /api/v1/drills/NAME/run
  const std::string suffix = "/run";
  if (path.size() > prefix.size() + suffix.size() && path.rfind(prefix, 0) == 0 &&
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
    if (method != "POST") return method_not_allowed();
    const std::string name = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
    bool arm = false;
    std::optional<uint64_t> seed;
    for (const auto& p : url->params()) {
      if (p.key == "arm") arm = p.value == "1" || p.value == "true";
      if (p.key == "seed") {
        seed = ParseUnsigned(p.value);
        if (!seed) return {400, "{\"error\": \"seed: expected an unsigned integer\"}\n"};
      }
    }
    auto r = drills.Run(name, arm, seed, authorization);
    return {r.status, r.body};
  }
  return {404, "{\"error\": \"not found\"}\n"};
}

}  // namespace sonde
