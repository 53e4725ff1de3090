#include "config/fault_kinds.h"

namespace sonde {
namespace {

// A kind's default value and its names: one name per struct, six for the
// link toxics.
template <typename Kind>
void Names(std::vector<std::pair<std::string_view, FaultKind>>& out) {
  if constexpr (std::is_same_v<Kind, LinkFault>) {
    for (const auto& [name, toxic] : LinkFault::kNames) {
      LinkFault f;
      f.toxic = toxic;
      out.emplace_back(name, f);
    }
  } else {
    out.emplace_back(Kind::kName, Kind{});
  }
}

template <typename... Kinds>
std::vector<std::pair<std::string_view, FaultKind>> AllKinds(std::variant<Kinds...>*) {
  std::vector<std::pair<std::string_view, FaultKind>> out;
  (Names<Kinds>(out), ...);
  return out;
}

const std::vector<std::pair<std::string_view, FaultKind>>& Kinds() {
  static const auto kinds = AllKinds(static_cast<FaultKind*>(nullptr));
  return kinds;
}

}  // namespace

std::string_view LinkFault::Name() const {
  for (const auto& [name, t] : kNames) {
    if (t == toxic) return name;
  }
  return "";
}

std::string_view LinkFault::ToxiproxyType() const {
  return toxic == Toxic::kBlackhole ? "timeout" : Name();
}

std::string_view FaultKindName(const FaultKind& kind) {
  return std::visit(
      [](const auto& k) -> std::string_view {
        using Kind = std::decay_t<decltype(k)>;
        if constexpr (std::is_same_v<Kind, LinkFault>) {
          return k.Name();
        } else {
          return Kind::kName;
        }
      },
      kind);
}

std::optional<FaultKind> FaultKindNamed(std::string_view name) {
  for (const auto& [n, kind] : Kinds()) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

std::vector<std::string> FaultKindNames() {
  std::vector<std::string> out;
  for (const auto& [n, kind] : Kinds()) out.emplace_back(n);
  return out;
}

bool IsDestructive(const FaultKind& kind) {
  return std::visit([](const auto& k) { return k.destructive(); }, kind);
}

std::string_view StreamName(LinkFault::Stream stream) {
  switch (stream) {
    case LinkFault::Stream::kUpstream: return "upstream";
    case LinkFault::Stream::kDownstream: return "downstream";
    case LinkFault::Stream::kBoth: break;
  }
  return "both";
}

std::string_view ShapeName(PartitionFault::Shape shape) {
  for (const auto& [name, s] : PartitionFault::kShapes) {
    if (s == shape) return name;
  }
  return "groups";
}

}  // namespace sonde
