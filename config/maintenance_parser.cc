#include "config/maintenance_parser.h"

#include <algorithm>

#include "config/suggest.h"

namespace sonde {
namespace {

constexpr std::string_view kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

// A TOML offset date-time as a system_clock time point; nullopt (reported)
// for anything else, including a local date-time, whose instant is unknown.
std::optional<std::chrono::system_clock::time_point> Instant(TableReader& r, std::string_view key) {
  const toml::node* node = r.Get(key);
  if (!node) return std::nullopt;
  const auto* dt = node->as_date_time();
  if (!dt || !dt->get().offset) {
    r.WrongType(*node, key, "a date-time with an offset, like 2026-11-21T02:00:00Z");
    return std::nullopt;
  }
  const toml::date_time v = dt->get();
  using namespace std::chrono;
  const sys_days day = year(v.date.year) / month(v.date.month) / v.date.day;
  const seconds instant = day.time_since_epoch() + hours(v.time.hour) + minutes(v.time.minute) +
                          seconds(v.time.second) - minutes(v.offset->minutes);
  // system_clock counts nanoseconds in 64 bits: years 1678 to 2261. TOML
  // allows 0000 to 9999, and converting those would overflow.
  constexpr seconds kLimit = duration_cast<seconds>(system_clock::duration::max()) - seconds(1);
  if (instant > kLimit || instant < -kLimit) {
    r.Error(Where(*node),
            "\"" + std::string(key) + "\" is out of range (use a year from 1700 to 2200)");
    return std::nullopt;
  }
  return system_clock::time_point(
      duration_cast<system_clock::duration>(instant + nanoseconds(v.time.nanosecond)));
}

std::optional<MaintenanceWindow::Weekly> ParseWeekly(ParseContext& ctx, const toml::table& table,
                                                     const std::string& path) {
  TableReader r(ctx, table, path, path, {"day", "at", "duration"});
  MaintenanceWindow::Weekly weekly;
  bool ok = true;
  if (std::optional<std::string> day = r.String("day", /*required=*/true)) {
    auto it = std::find(std::begin(kDays), std::end(kDays), *day);
    if (it == std::end(kDays)) {
      r.Error(Where(*table.get("day")),
              "unknown day \"" + *day + "\" (use sun, mon, tue, wed, thu, fri or sat)");
      ok = false;
    } else {
      weekly.weekday = static_cast<int>(it - std::begin(kDays));
    }
  } else {
    ok = false;
  }
  if (std::optional<std::string> at = r.String("at", /*required=*/true)) {
    int h = -1, m = -1;
    char colon = 0;
    if (std::sscanf(at->c_str(), "%2d%c%2d", &h, &colon, &m) != 3 || colon != ':' || h < 0 ||
        h > 23 || m < 0 || m > 59 || at->size() != 5) {
      r.Error(Where(*table.get("at")), "\"at\" must be HH:MM (UTC), got \"" + *at + "\"");
      ok = false;
    } else {
      weekly.at = std::chrono::hours(h) + std::chrono::minutes(m);
    }
  } else {
    ok = false;
  }
  if (std::optional<Duration> d = r.ReadDuration("duration", /*required=*/true)) {
    if (*d > std::chrono::hours(24 * 7)) {
      r.Error(Where(*table.get("duration")), "\"duration\" must be at most a week");
      ok = false;
    }
    weekly.duration = *d;
  } else {
    ok = false;
  }
  if (!ok) return std::nullopt;
  return weekly;
}

}  // namespace

std::vector<MaintenanceWindow> ParseMaintenance(ParseContext& ctx, const toml::node& node,
                                                const std::vector<std::string>& journeys) {
  std::vector<MaintenanceWindow> out;
  const toml::array* array = node.as_array();
  if (!array || !array->is_array_of_tables()) {
    ReportAt(ctx, Where(node), "", "\"maintenance\" must be an array of tables ([[maintenance]])");
    return out;
  }
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::table& table = *array->get(i)->as_table();
    const std::string path = "maintenance[" + std::to_string(i + 1) + "]";
    TableReader r(ctx, table, path, path, {"journeys", "start", "end", "weekly", "mode"});
    MaintenanceWindow w;
    w.where = Where(table);
    if (std::optional<std::string> mode = r.String("mode")) {
      if (*mode == "pause") {
        w.mode = MaintenanceWindow::Mode::kPause;
      } else if (*mode == "mark") {
        w.mode = MaintenanceWindow::Mode::kMark;
      } else {
        r.Error(Where(*table.get("mode")), "unknown mode \"" + *mode + "\" (use pause or mark)");
      }
    }
    if (const toml::array* names = r.Array("journeys")) {
      for (size_t k = 0; k < names->size(); ++k) {
        const auto* name = names->get(k)->as_string();
        if (!name) {
          r.WrongType(*names->get(k), "journeys[" + std::to_string(k + 1) + "]", "a journey name");
          continue;
        }
        if (std::find(journeys.begin(), journeys.end(), name->get()) == journeys.end()) {
          std::string message = "unknown journey \"" + name->get() + "\"";
          if (auto guess = ClosestMatch(name->get(), journeys))
            message += " (did you mean \"" + *guess + "\"?)";
          r.Error(Where(*names->get(k)), message);
        }
        w.journeys.push_back(name->get());
      }
    }
    w.start = Instant(r, "start");
    w.end = Instant(r, "end");
    if (const toml::table* weekly = r.Table("weekly"))
      w.weekly = ParseWeekly(ctx, *weekly, r.PathOf("weekly"));
    const bool range = table.get("start") || table.get("end");
    if (range && table.get("weekly")) {
      r.Error(w.where, "give either start/end or weekly, not both");
    } else if (range && !(table.get("start") && table.get("end"))) {
      r.Error(w.where, "a time range needs both \"start\" and \"end\"");
    } else if (!range && !table.get("weekly")) {
      r.Error(w.where, "give a time range (start, end) or weekly = { day, at, duration }");
    } else if (w.start && w.end && *w.end <= *w.start) {
      r.Error(Where(*table.get("end")), "\"end\" must be after \"start\"");
    }
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace sonde
