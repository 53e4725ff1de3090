// The fault kinds, one struct each, as step kinds are (StepAction): what a
// fault of that kind needs beyond the common header (DrillFault's name,
// targets, offset and duration). Each kind's name lives here and nowhere
// else; the parser (fault_parser.cc) reads one kind's own keys, the planner
// (chaos/fault.cc) dispatches with std::visit. chaos/ADDING_A_FAULT.md
// walks through adding one.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sonde {

// kind = "kill": a signal (SIGKILL unless told) through a pidfd; its revert
// runs the target's `restart` command.
struct KillFault {
  static constexpr std::string_view kName = "kill";
  int signal = 9;
  bool destructive() const { return true; }
};

// kind = "pause": SIGSTOP; its revert SIGCONT to the same process.
struct PauseFault {
  static constexpr std::string_view kName = "pause";
  bool destructive() const { return true; }
};

// kind = "exec": a shell command and the command that undoes it (kubectl
// with a Chaos Mesh manifest, a firewall rule): as destructive as anything
// sonde does.
struct ExecFault {
  static constexpr std::string_view kName = "exec";
  std::string command, revert_command;
  bool destructive() const { return true; }
};

// One request of an http fault: a full URL, or a path on the target's url.
struct FaultRequest {
  std::string method = "POST";
  std::string url;
  std::string path;
  std::string body;
};

// kind = "http": a request that breaks something and one that mends it
// (a node's admin API). Not destructive by itself: the API decides.
struct HttpFault {
  static constexpr std::string_view kName = "http";
  FaultRequest inject, revert;
  bool destructive() const { return false; }
};

// kind = "partition": the links between groups cut, at the fault proxy or
// with nftables. Written as explicit groups or as a named shape over the
// fault's targets, resolved (with the drill's seed) into groups or a ring
// when the drill is planned.
struct PartitionFault {
  static constexpr std::string_view kName = "partition";
  enum class Shape { kGroups, kIsolate, kMajorityMinority, kBridge, kRing };
  enum class Backend { kProxy, kNftables };
  static constexpr std::array<std::pair<std::string_view, Shape>, 4> kShapes = {{
      {"isolate", Shape::kIsolate},
      {"majority_minority", Shape::kMajorityMinority},
      {"bridge", Shape::kBridge},
      {"ring", Shape::kRing},
  }};
  Shape shape = Shape::kGroups;
  Backend backend = Backend::kProxy;
  std::vector<std::vector<std::string>> groups;  // cut apart from each other
  std::vector<std::string> ring;                 // each linked only to its neighbours
  bool destructive() const { return true; }
};

// The link kinds: a Toxiproxy toxic on the fault proxy's links, each named
// "A_to_B" after declared targets.
struct LinkFault {
  enum class Toxic { kLatency, kBandwidth, kBlackhole, kResetPeer, kSlicer, kLimitData };
  enum class Stream { kBoth, kUpstream, kDownstream };
  static constexpr std::array<std::pair<std::string_view, Toxic>, 6> kNames = {{
      {"latency", Toxic::kLatency},
      {"bandwidth", Toxic::kBandwidth},
      {"blackhole", Toxic::kBlackhole},
      {"reset_peer", Toxic::kResetPeer},
      {"slicer", Toxic::kSlicer},
      {"limit_data", Toxic::kLimitData},
  }};
  Toxic toxic = Toxic::kLatency;
  std::vector<std::string> links;
  Stream stream = Stream::kBoth;
  double toxicity = 1.0;
  std::map<std::string, int64_t> attributes;  // the toxic's, e.g. latency = 300, jitter = 50
  // Slowing a link degrades; cutting it or resetting connections breaks.
  bool destructive() const {
    return toxic == Toxic::kBlackhole || toxic == Toxic::kResetPeer || toxic == Toxic::kLimitData;
  }
  // "latency", "blackhole", ...: the kind's name.
  std::string_view Name() const;
  // The toxic's type at the proxy: a blackhole is Toxiproxy's `timeout`
  // with timeout 0 (data held until the toxic goes).
  std::string_view ToxiproxyType() const;
};

using FaultKind =
    std::variant<KillFault, PauseFault, ExecFault, HttpFault, PartitionFault, LinkFault>;

// "kill", "latency", ... as written in `kind = "..."`, stored and labelled.
std::string_view FaultKindName(const FaultKind& kind);

// The fault of kind `name` with its defaults, or nullopt for no such kind.
std::optional<FaultKind> FaultKindNamed(std::string_view name);

// Every kind's name, in the order above (for errors and suggestions).
std::vector<std::string> FaultKindNames();

// Kinds that stop or break a process: a drill must be armed to use them.
bool IsDestructive(const FaultKind& kind);

std::string_view StreamName(LinkFault::Stream stream);
std::string_view ShapeName(PartitionFault::Shape shape);

}  // namespace sonde
