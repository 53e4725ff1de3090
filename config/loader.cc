// Entry points, the top-level tables, [service] and [targets.*]. Journeys
// and their steps are in journey_parser.cc and step_parser.cc.
#include "config/loader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "config/diagnostics.h"
#include "config/drill_parser.h"
#include "config/fault_parser.h"
#include "config/fields.h"
#include "config/journey_parser.h"
#include "config/maintenance_parser.h"
#include "config/poll_parser.h"
#include "config/slo_parser.h"
#include "config/source_text.h"
#include "config/table_reader.h"
#include "config/toml_guard.h"
#include "core/integer.h"

namespace sonde {
namespace {

// A TCP port, 1..65535, written in decimal.
std::optional<uint16_t> ParsePort(std::string_view s) {
  if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != s.npos) {
    return std::nullopt;
  }
  const int port = std::stoi(std::string(s));
  if (port < 1 || port > 65535) return std::nullopt;
  return static_cast<uint16_t>(port);
}

// "host:port" or "[v6]:port" into `service`; the reason when malformed.
std::optional<std::string> ParseListen(std::string_view text, ServiceConfig& service) {
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == text.npos) return "missing ']' after an IPv6 address";
    host = text.substr(1, close - 1);
    if (close + 1 == text.size() || text[close + 1] != ':') return "missing \":PORT\"";
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == text.npos) return "missing \":PORT\"";
    host = text.substr(0, colon);
    if (host.find(':') != host.npos) return "an IPv6 address needs brackets, as in \"[::1]:9464\"";
    port = text.substr(colon + 1);
  }
  if (host.empty()) return "missing host";
  // Port 0: the system picks a free one, and the daemon logs which (tests
  // and supervisors that read the log need no check-then-bind race).
  std::optional<uint16_t> number = port == "0" ? std::optional<uint16_t>(0) : ParsePort(port);
  if (!number) return "bad port \"" + std::string(port) + "\" (use 1..65535, or 0 for any)";
  service.listen_host = std::string(host);
  service.listen_port = *number;
  return std::nullopt;
}

void ParseService(ParseContext& ctx, const toml::table& table, ServiceConfig& service) {
  TableReader r(ctx, table, "service", "[service]",
                {"listen", "location", "max_concurrent_runs", "api_token_file", "tls_cert_file",
                 "tls_key_file"});
  service.tls_cert_file = r.String("tls_cert_file").value_or("");
  service.tls_key_file = r.String("tls_key_file").value_or("");
  if (const toml::node* cert = table.get("tls_cert_file")) service.tls_where = Where(*cert);
  if (service.tls_cert_file.empty() != service.tls_key_file.empty()) {
    const char* given = service.tls_cert_file.empty() ? "tls_key_file" : "tls_cert_file";
    r.Error(Where(*table.get(given)), "\"tls_cert_file\" and \"tls_key_file\" must be given together");
  }
  if (auto token = r.String("api_token_file")) {
    service.api_token_file = *token;
    service.api_token_file_where = Where(*table.get("api_token_file"));
  }
  if (std::optional<std::string> listen = r.String("listen")) {
    if (auto why = ParseListen(*listen, service)) {
      r.Error(Where(*table.get("listen")), "bad \"listen\" address \"" + *listen + "\": " + *why);
    }
  }
  if (std::optional<std::string> location = r.String("location")) {
    if (!IsLabelValue(*location)) {
      r.Error(Where(*table.get("location")),
              "bad \"location\" \"" + *location + "\": use letters, digits and _ . : -");
    }
    service.location = *location;
  }
  if (std::optional<int64_t> max = r.Integer("max_concurrent_runs")) {
    if (*max < 1 || *max > 100000) {
      r.Error(Where(*table.get("max_concurrent_runs")),
              "\"max_concurrent_runs\" must be 1..100000, got " + std::to_string(*max));
    } else {
      service.max_concurrent_runs = static_cast<int>(*max);
    }
  }
}

void ParseAlerting(ParseContext& ctx, const toml::table& table, AlertingConfig& alerting) {
  TableReader r(ctx, table, "alerting", "[alerting]", {"min_window", "burn_for", "absent_for"});
  alerting.where = Where(table);
  if (std::optional<Duration> w = r.ReadDuration("min_window")) {
    // 4s: the generated promtool tests sample at least every second and
    // want 4 samples in the shortest window.
    if (*w < std::chrono::seconds(4) || *w > std::chrono::hours(1)) {
      r.Error(Where(*table.get("min_window")),
              "\"min_window\" must be 4s..1h, got " + FormatDuration(*w));
    } else {
      alerting.min_window = *w;
    }
  }
  if (std::optional<Duration> f = r.ReadDuration("burn_for")) alerting.burn_for = *f;
  if (std::optional<Duration> f = r.ReadDuration("absent_for")) {
    if (*f < std::chrono::seconds(1)) {
      r.Error(Where(*table.get("absent_for")),
              "\"absent_for\" must be at least 1s, got " + FormatDuration(*f));
    } else {
      alerting.absent_for = *f;
    }
  }
}

void ParseStore(ParseContext& ctx, const toml::table& table, StoreConfig& store) {
  TableReader r(ctx, table, "store", "[store]", {"dir", "keep", "queue"});
  store.where = Where(table);
  if (std::optional<std::string> dir = r.String("dir", /*required=*/true)) {
    if (dir->empty()) {
      r.Error(Where(*table.get("dir")), "\"dir\" must not be empty");
    }
    store.dir = *dir;
  }
  if (std::optional<Duration> keep = r.ReadDuration("keep")) {
    if (*keep < std::chrono::hours(1)) {
      r.Error(Where(*table.get("keep")),
              "\"keep\" must be at least 1h, got " + FormatDuration(*keep));
    } else {
      store.keep = *keep;
    }
  }
  if (std::optional<int64_t> queue = r.Integer("queue")) {
    if (*queue < 1 || *queue > 10'000'000) {
      r.Error(Where(*table.get("queue")),
              "\"queue\" must be 1..10000000, got " + std::to_string(*queue));
    } else {
      store.queue = static_cast<size_t>(*queue);
    }
  }
}

void ParseChaosSchedule(ParseContext& ctx, const toml::table& table, ChaosConfig& chaos);

void ParseChaos(ParseContext& ctx, const toml::table& table, ChaosConfig& chaos) {
  TableReader r(ctx, table, "chaos", "[chaos]", {"journal", "proxy_api", "targets", "schedule"});
  if (std::optional<std::string> journal = r.String("journal")) chaos.journal = *journal;
  if (std::optional<std::string> api = r.String("proxy_api")) chaos.proxy_api = *api;
  const toml::table* targets = r.Table("targets");
  const toml::table* schedule = r.Table("schedule");
  if (!targets) {
    if (schedule) ParseChaosSchedule(ctx, *schedule, chaos);
    return;
  }
  for (auto [key, node] : InFileOrder(*targets)) {
    const std::string name(key->str());
    const toml::table* t = node->as_table();
    if (!t) {
      ReportAt(ctx, Where(*node), "chaos.targets",
               "\"" + name + "\" must be a table, got " + std::string(TypeName(*node)));
      continue;
    }
    TableReader tr(ctx, *t, "chaos.targets." + PathSegment(name), "chaos target \"" + name + "\"",
                   {"url", "pidfile", "restart", "address"});
    ChaosTarget target;
    target.name = name;
    target.where = Where(*t);
    if (auto url = tr.String("url")) target.url = *url;
    if (auto pidfile = tr.String("pidfile")) target.pidfile = *pidfile;
    if (auto restart = tr.String("restart")) target.restart = *restart;
    if (auto address = tr.String("address")) {
      unsigned a, b, c, d;
      char extra;
      if (std::sscanf(address->c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &extra) != 4 || a > 255 ||
          b > 255 || c > 255 || d > 255) {
        tr.Error(Where(*t->get("address")),
                 "\"address\" must be an IPv4 address, got \"" + *address + "\"");
      }
      target.address = *address;
    }
    chaos.targets[name] = std::move(target);
  }
  if (schedule) ParseChaosSchedule(ctx, *schedule, chaos);
}

// "10:00" -> 600; nullopt when malformed.
std::optional<int> MinuteOfDay(const std::string& text) {
  int h = 0, m = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%d:%d%c", &h, &m, &extra) != 2 || h < 0 || h > 24 || m < 0 ||
      m > 59 || (h == 24 && m != 0))
    return std::nullopt;
  return h * 60 + m;
}

void ParseChaosSchedule(ParseContext& ctx, const toml::table& table, ChaosConfig& chaos) {
  TableReader r(ctx, table, "chaos.schedule", "[chaos.schedule]",
                {"armed", "every", "hours", "days", "slo", "min_budget_remaining",
                 "abort_burn_rate", "burn_window", "seed", "fault"});
  ChaosSchedule s;
  s.where = Where(table);
  s.armed = r.Bool("armed").value_or(false);
  if (auto every = r.ReadDuration("every")) {
    if (*every < std::chrono::seconds(1)) {
      r.Error(Where(*table.get("every")), "\"every\" must be at least 1s");
    } else {
      s.every = *every;
    }
  }
  if (auto hours = r.String("hours")) {
    const size_t dash = hours->find('-');
    auto from = MinuteOfDay(hours->substr(0, dash));
    auto to = dash == std::string::npos ? std::nullopt : MinuteOfDay(hours->substr(dash + 1));
    if (!from || !to || *from >= *to) {
      r.Error(Where(*table.get("hours")),
              "\"hours\" must be \"HH:MM-HH:MM\" (UTC, from before to)");
    } else {
      s.from_minute = *from;
      s.to_minute = *to;
    }
  }
  if (const toml::array* days = r.Array("days")) {
    static const char* kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    for (const toml::node& d : *days) {
      const auto* name = d.as_string();
      int found = -1;
      for (int i = 0; i < 7 && name; ++i) {
        if (name->get().substr(0, 3) == kDays[i]) found = i;
      }
      if (found < 0) {
        r.Error(Where(d), "unknown day (use mon, tue, wed, thu, fri, sat, sun)");
      } else {
        s.weekdays.push_back(found);
      }
    }
  }
  s.slo = r.String("slo", /*required=*/true).value_or("");
  if (const toml::node* n = r.Get("min_budget_remaining")) {
    const auto* f = n->as_floating_point();
    const auto* i = n->as_integer();
    const double v = f ? f->get() : i ? static_cast<double>(i->get()) : -1;
    if (v < 0 || v > 1) {
      r.Error(Where(*n), "\"min_budget_remaining\" must be a ratio from 0 to 1");
    } else {
      s.min_budget_remaining = v;
    }
  }
  if (const toml::node* n = r.Get("abort_burn_rate")) {
    const auto* f = n->as_floating_point();
    const auto* i = n->as_integer();
    const double v = f ? f->get() : i ? static_cast<double>(i->get()) : -1;
    if (v <= 0) {
      r.Error(Where(*n), "\"abort_burn_rate\" must be a positive number (14.4 pages)");
    } else {
      s.abort_burn_rate = v;
    }
  }
  if (auto w = r.ReadDuration("burn_window")) s.burn_window = *w;
  if (auto seed = r.Integer("seed")) s.seed = static_cast<uint64_t>(*seed);
  if (const toml::array* faults = r.Array("fault", /*required=*/true)) {
    int i = 0;
    for (const toml::node& f : *faults) {
      const std::string path = "chaos.schedule.fault[" + std::to_string(i++) + "]";
      if (const toml::table* t = f.as_table()) {
        s.menu.push_back(ParseDrillFault(ctx, *t, path, chaos));
      } else {
        ReportAt(ctx, Where(f), path, "must be a table ([[chaos.schedule.fault]])");
      }
    }
  }
  chaos.schedule = std::move(s);
}

// A base URL as the model wants it (trailing '/' removed); the reason when
// it is not scheme://host[:port][/prefix] with an http(s) scheme.
std::optional<std::string> NormalizeBaseUrl(std::string& url) {
  const size_t sep = url.find("://");
  if (sep == url.npos) return "is not a URL (expected http://host[:port][/prefix])";
  const std::string scheme = url.substr(0, sep);
  if (scheme != "http" && scheme != "https") {
    return "has scheme \"" + scheme + "\" (use http or https)";
  }
  const std::string rest = url.substr(sep + 3);
  if (rest.find_first_of("?#") != rest.npos) return "must not have a query or fragment";
  const std::string authority = rest.substr(0, rest.find('/'));
  if (authority.find('@') != authority.npos) {
    return "must not hold credentials (send them with `headers`)";
  }
  size_t host_end = std::min(authority.find(':'), authority.size());
  if (!authority.empty() && authority.front() == '[') {
    host_end = authority.find(']');
    if (host_end == authority.npos) return "has an unclosed '['";
    ++host_end;
  }
  const std::string_view host = std::string_view(authority).substr(0, host_end);
  if (host.empty() || host == "[]") return "has no host";
  const std::string_view port = std::string_view(authority).substr(host_end);
  if (!port.empty() && (port.front() != ':' || !ParsePort(port.substr(1)))) {
    return "has a bad port";
  }
  while (url.size() > sep + 3 + authority.size() && url.back() == '/') url.pop_back();
  return std::nullopt;
}

std::vector<std::string> ParseUrls(TableReader& r) {
  std::vector<std::string> urls;
  const toml::array* array = r.Array("urls", /*required=*/true);
  if (!array) return urls;
  if (array->empty()) r.Error(Where(*array), "\"urls\" must not be empty");
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::node& node = *array->get(i);
    const std::string field = "urls[" + std::to_string(i + 1) + "]";
    if (!node.is_string()) {
      r.WrongType(node, field, "a string");
      continue;
    }
    std::string url = node.as_string()->get();
    if (auto why = NormalizeBaseUrl(url)) {
      r.Error(Where(node), "\"" + field + "\" \"" + url + "\" " + *why);
    } else if (std::find(urls.begin(), urls.end(), url) != urls.end()) {
      r.Error(Where(node), "\"" + field + "\" \"" + url + "\" is listed twice");
    } else {
      urls.push_back(std::move(url));
    }
  }
  return urls;
}

TlsOptions ParseTls(ParseContext& ctx, const toml::table& table, const std::string& path) {
  TableReader r(ctx, table, path, path,
                {"insecure_skip_verify", "ca_file", "cert_file", "key_file"});
  TlsOptions tls;
  tls.insecure_skip_verify = r.Bool("insecure_skip_verify").value_or(false);
  tls.ca_file = r.String("ca_file").value_or("");
  tls.cert_file = r.String("cert_file").value_or("");
  tls.key_file = r.String("key_file").value_or("");
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    const char* given = tls.cert_file.empty() ? "key_file" : "cert_file";
    r.Error(Where(*table.get(given)), "\"cert_file\" and \"key_file\" must be given together");
  }
  return tls;
}

// Template variables in a group's headers: the group can't know which
// journey will use it, so only the built-ins and (any) vars.* are allowed.
void CheckGroupHeaderVariables(ParseContext& ctx, const std::string& path,
                               const std::vector<VariableUse>& uses) {
  for (const VariableUse& use : uses) {
    if (IsBuiltinVariable(use.name) || use.name.starts_with("vars.")) continue;
    ReportAt(ctx, use.where, path,
             "unknown variable '" + use.name +
                 "' (target headers may use target.url, target.group, journey.name and vars.*)");
  }
}

TargetGroup ParseTargetGroup(ParseContext& ctx, const std::string& name, const toml::table& table) {
  const std::string path = "targets." + PathSegment(name);
  TableReader r(ctx, table, path, "target group \"" + name + "\"", {"urls", "headers", "tls"});
  TargetGroup group;
  group.name = name;
  group.where = Where(table);
  group.urls = ParseUrls(r);
  std::vector<VariableUse> uses;
  group.headers = ParseHeaders(r, &uses);
  CheckGroupHeaderVariables(ctx, path, uses);
  if (const toml::table* tls = r.Table("tls")) group.tls = ParseTls(ctx, *tls, path + ".tls");
  return group;
}

void ParseTargets(ParseContext& ctx, const toml::table& targets, Config& config) {
  for (auto [key, node] : InFileOrder(targets)) {
    const std::string name(key->str());
    if (!IsGroupName(name)) {
      ReportAt(ctx, Where(*key), "targets",
               "bad target group name \"" + name + "\": use letters, digits, '_' and '-'");
    }
    if (!node->is_table()) {
      ReportAt(ctx, Where(*node), "targets",
               "\"" + name + "\" must be a table, got " + std::string(TypeName(*node)));
      continue;
    }
    config.targets[name] = ParseTargetGroup(ctx, name, *node->as_table());
  }
}

// Every name under [targets], even of a group with errors, so that a journey
// naming it isn't also told the group doesn't exist.
std::vector<std::string> GroupNames(const toml::table* targets) {
  std::vector<std::string> names;
  if (targets) {
    for (auto [key, node] : InFileOrder(*targets)) names.emplace_back(key->str());
  }
  return names;
}

// What a journey's runs depend on, as canonical TOML text: its own table and
// its target group's. A reload keeps the schedule and state of a journey
// whose fingerprint did not change. (Formatting drops comments and source
// positions, so moving or commenting a table changes nothing.)
void SetFingerprints(const toml::table& journeys, const toml::table* targets,
                     std::vector<Journey>& out) {
  for (Journey& j : out) {
    std::ostringstream text;
    if (const toml::table* t = journeys.get_as<toml::table>(j.name)) {
      text << toml::toml_formatter(*t);
    }
    text << "\n--\n";
    if (const toml::table* g = targets ? targets->get_as<toml::table>(j.target_group) : nullptr) {
      text << toml::toml_formatter(*g);
    }
    j.fingerprint = text.str();
  }
}

// [keys.NAME] = { file = "..." } or { ephemeral = true }. The files are read
// by the service at start (KeyRing), which reports unreadable or
// group/world-readable ones at `file_where`.
void ParseKeys(ParseContext& ctx, const toml::table& keys, Config& config) {
  for (auto [key, node] : InFileOrder(keys)) {
    const std::string name(key->str());
    if (!IsVariableName(name, /*allow_dash=*/false) || name.find('.') != std::string::npos) {
      ReportAt(ctx, Where(*key), "keys",
               "bad key name \"" + name + "\": use [A-Za-z_][A-Za-z0-9_]* (it is read as ${keys." +
                   name + ".public})");
    }
    const toml::table* table = node->as_table();
    if (!table) {
      ReportAt(ctx, Where(*node), "keys",
               "\"" + name + "\" must be a table, got " + std::string(TypeName(*node)));
      continue;
    }
    const std::string path = "keys." + PathSegment(name);
    TableReader r(ctx, *table, path, "key \"" + name + "\"", {"type", "file", "ephemeral"});
    KeySpec spec;
    spec.name = name;
    spec.where = Where(*table);
    if (std::optional<std::string> type = r.String("type")) {
      if (*type == "secp256k1") {
        spec.type = KeySpec::Type::kSecp256k1;
        ctx.secp256k1_keys.push_back(name);
      } else if (*type != "ed25519") {
        r.Error(Where(*table->get("type")),
                "unknown key type \"" + *type + "\" (use ed25519 or secp256k1)");
      }
    }
    spec.file = r.String("file").value_or("");
    spec.ephemeral = r.Bool("ephemeral").value_or(false);
    if (const toml::node* f = table->get("file")) spec.file_where = Where(*f);
    if (spec.file.empty() == !spec.ephemeral) {
      r.Error(spec.where, "give either \"file\" (a key file) or \"ephemeral = true\"");
    } else if (spec.ephemeral && spec.type == KeySpec::Type::kSecp256k1) {
      r.Error(Where(*table->get("ephemeral")),
              "a secp256k1 key cannot be ephemeral: an EVM account must be funded before it "
              "can send (give \"file\")");
    }
    ctx.keys.push_back(name);
    if (spec.ephemeral) ctx.ephemeral_keys.push_back(name);
    config.keys[name] = std::move(spec);
  }
}

// keys.NAME.public of a declared key, or keys.NAME.address of a secp256k1 one.
bool IsKeyVariable(const Config& config, const std::string& name) {
  if (!name.starts_with("keys.")) return false;
  const size_t dot = name.rfind('.');
  if (dot <= 5) return false;
  auto it = config.keys.find(name.substr(5, dot - 5));
  if (it == config.keys.end()) return false;
  const std::string_view field = std::string_view(name).substr(dot + 1);
  return field == "public" || (field == "address" && it->second.type == KeySpec::Type::kSecp256k1);
}

// [wallet.NAME] = { key, balance = { path, pointer }, nonce = { path,
// pointer }, floor, daily_spend_cap }. Its requests may use the keys' public
// keys only: they run outside any journey.
void ParseWallets(ParseContext& ctx, const toml::table& wallets, Config& config) {
  for (auto [key, node] : InFileOrder(wallets)) {
    const std::string name(key->str());
    const toml::table* table = node->as_table();
    if (!table) {
      ReportAt(ctx, Where(*node), "wallet",
               "\"" + name + "\" must be a table, got " + std::string(TypeName(*node)));
      continue;
    }
    const std::string path = "wallet." + PathSegment(name);
    TableReader r(ctx, *table, path, "wallet \"" + name + "\"",
                  {"key", "balance", "nonce", "floor", "daily_spend_cap"});
    WalletSpec spec;
    spec.name = name;
    spec.where = Where(*table);
    if (std::optional<std::string> k = r.String("key", /*required=*/true)) {
      spec.key = *k;
      auto it = config.keys.find(*k);
      if (it == config.keys.end()) {
        r.Error(Where(*table->get("key")), "unknown key \"" + *k + "\"");
      } else if (it->second.ephemeral) {
        r.Error(Where(*table->get("key")), "a wallet needs a key file, not an ephemeral key");
      }
    }
    std::vector<VariableUse> uses;
    for (const char* request : {"balance", "nonce"}) {
      if (const toml::table* t = r.Table(request, /*required=*/true)) {
        auto source = ParseHeight(ctx, *t, r.PathOf(request), &uses);
        if (source) (std::string_view(request) == "balance" ? spec.balance : spec.nonce) = *source;
      }
    }
    for (const VariableUse& use : uses) {
      if (!IsKeyVariable(config, use.name)) {
        ReportAt(ctx, use.where, path,
                 "unknown variable '" + use.name +
                     "' (wallet requests may use keys.NAME.public and, for secp256k1 keys, "
                     "keys.NAME.address)");
      }
    }
    for (const char* amount : {"floor", "daily_spend_cap"}) {
      const toml::node* node = r.Get(amount);
      if (!node) continue;
      // Wei amounts pass what a TOML integer holds: a string may spell any
      // integer (decimal or 0x-hex), read exactly.
      std::optional<Int256> v;
      if (const auto* i = node->as_integer()) {
        v = Int256(i->get());
      } else if (const auto* str = node->as_string()) {
        v = ParseInteger(str->get());
        if (!v) {
          r.Error(Where(*node), "\"" + std::string(amount) + "\" is \"" + str->get() +
                                    "\", not an integer (decimal or 0x-hex)");
          continue;
        }
      } else {
        r.WrongType(*node, amount, "an integer, or a string holding one (wei amounts)");
        continue;
      }
      if (*v < 0) {
        r.Error(Where(*node), "\"" + std::string(amount) + "\" must not be negative");
        continue;
      }
      (std::string_view(amount) == "floor" ? spec.floor : spec.daily_spend_cap) = ToDecimal(*v);
    }
    ctx.wallets.push_back(name);
    config.wallets[name] = std::move(spec);
  }
}

void ParseRoot(ParseContext& ctx, const toml::table& root, Config& config) {
  TableReader r(ctx, root, "", "the config",
                {"service", "store", "alerting", "chaos", "targets", "keys", "wallet", "journey",
                 "maintenance", "slo", "drill"});
  if (const toml::table* service = r.Table("service")) ParseService(ctx, *service, config.service);
  if (const toml::table* store = r.Table("store")) ParseStore(ctx, *store, config.store.emplace());
  if (const toml::table* alerting = r.Table("alerting"))
    ParseAlerting(ctx, *alerting, config.alerting);
  if (const toml::table* chaos = r.Table("chaos")) ParseChaos(ctx, *chaos, config.chaos);
  const toml::table* targets = r.Table("targets");
  if (targets) ParseTargets(ctx, *targets, config);
  ctx.targets = &config.targets;
  if (const toml::table* keys = r.Table("keys")) ParseKeys(ctx, *keys, config);
  if (const toml::table* wallets = r.Table("wallet")) ParseWallets(ctx, *wallets, config);
  if (const toml::table* journeys = r.Table("journey")) {
    ParseJourneys(ctx, *journeys, GroupNames(targets), config.journeys);
    // Wallet steps carry their wallet's definition, as frost steps do their
    // signer group, so a prober needs nothing but its step.
    for (Journey& j : config.journeys) {
      for (Step& step : j.steps) {
        auto* w = std::get_if<WalletStep>(&step.action);
        auto it = w ? config.wallets.find(w->wallet) : config.wallets.end();
        if (it != config.wallets.end()) w->spec = std::make_shared<WalletSpec>(it->second);
      }
    }
    SetFingerprints(*journeys, targets, config.journeys);
  }
  if (const toml::table* slos = r.Table("slo"))
    config.slos = ParseSlos(ctx, *slos, config.journeys);
  if (config.chaos.schedule) {
    const ChaosSchedule& sched = *config.chaos.schedule;
    bool found = false;
    for (const SloSpec& slo : config.slos) found = found || slo.name == sched.slo;
    if (!found) {
      ReportAt(
          ctx, sched.where, "chaos.schedule",
          "unknown SLO \"" + sched.slo + "\": the budget gate needs one of the [slo.*] tables");
    }
  }
  if (const toml::table* drills = r.Table("drill"))
    config.drills = ParseDrills(ctx, *drills, config.journeys, config.chaos);
  if (const toml::node* maintenance = r.Get("maintenance")) {
    std::vector<std::string> names;
    for (const Journey& j : config.journeys) names.push_back(j.name);
    config.maintenance = ParseMaintenance(ctx, *maintenance, names);
  }
}

}  // namespace

LoadResult LoadConfigString(std::string_view text, std::string source_name) {
  Diagnostics diags(source_name);
  if (std::optional<TomlShapeError> shape = CheckTomlShape(text)) {
    diags.Add(shape->at, std::move(shape->message));
    return {nullptr, diags.Take()};
  }
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    // toml++ stops at the first syntax error, so this is the only diagnostic.
    diags.Add({e.source().begin.line, e.source().begin.column},
              "TOML syntax error: " + std::string(e.description()));
    return {nullptr, diags.Take()};
  }
  SourceText source(text);
  ParseContext ctx{diags, source, {}, {}, {}, {}, nullptr};
  auto config = std::make_shared<Config>();
  config->source = std::move(source_name);
  ParseRoot(ctx, root, *config);
  if (!diags.empty()) return {nullptr, diags.Take()};
  // Paths relative to the config file, so a daemon finds its data (and a
  // later `sonde heal` the same journal) wherever it is started from.
  const std::filesystem::path base = std::filesystem::path(config->source).parent_path();
  auto resolve = [&](std::string& path) {
    if (std::filesystem::path(path).is_relative()) path = (base / path).lexically_normal().string();
  };
  if (config->store) resolve(config->store->dir);
  if (!config->service.api_token_file.empty()) resolve(config->service.api_token_file);
  if (!config->service.tls_cert_file.empty()) resolve(config->service.tls_cert_file);
  if (!config->service.tls_key_file.empty()) resolve(config->service.tls_key_file);
  if (config->chaos.journal.empty()) config->chaos.journal = "sonde-chaos.journal";
  resolve(config->chaos.journal);
  return {std::move(config), {}};
}

LoadResult LoadConfigFile(const std::string& path) {
  // stdio rather than iostreams: it reliably leaves the reason in errno,
  // including for a directory, which opens but can't be read.
  std::FILE* f = std::fopen(path.c_str(), "rb");
  std::string text;
  int err = f ? 0 : errno;
  if (f) {
    char buf[64 * 1024];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    if (std::ferror(f)) err = errno;
    std::fclose(f);
  }
  if (err != 0) {
    return {nullptr, {{path, 0, 0, "cannot read file: " + std::string(std::strerror(err))}}};
  }
  return LoadConfigString(text, path);
}

}  // namespace sonde
