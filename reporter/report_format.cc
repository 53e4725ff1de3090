#include "reporter/report_format.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <ctime>

namespace sonde {

std::optional<ReportFormat> ReportFormatFromString(std::string_view name) {
  if (name == "html") return ReportFormat::kHtml;
  if (name == "md" || name == "markdown") return ReportFormat::kMarkdown;
  if (name == "json") return ReportFormat::kJson;
  if (name == "csv") return ReportFormat::kCsv;
  return std::nullopt;
}

std::string_view ToString(ReportFormat f) {
  switch (f) {
    case ReportFormat::kHtml: return "html";
    case ReportFormat::kMarkdown: return "md";
    case ReportFormat::kJson: return "json";
    case ReportFormat::kCsv: return "csv";
  }
  return "?";
}

namespace {

std::tm UtcOf(int64_t unix_us) {
  // Floor division, so that times before 1970 still land in the right second.
  int64_t secs = unix_us / 1'000'000;
  if (unix_us % 1'000'000 < 0) --secs;
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

}  // namespace

std::string FormatTimestamp(int64_t unix_us) {
  const std::tm tm = UtcOf(unix_us);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

std::string FormatDay(int64_t unix_us) {
  const std::tm tm = UtcOf(unix_us);
  char out[16];
  std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
  return out;
}

std::string FormatPercent(std::optional<double> ratio) {
  if (!ratio) return "n/a";
  char out[32];
  std::snprintf(out, sizeof out, "%.3f%%", *ratio * 100.0);
  return out;
}

std::string FormatLatency(std::optional<int64_t> us) {
  if (!us) return "n/a";
  char out[32];
  if (*us < 10'000'000) {
    std::snprintf(out, sizeof out, "%.1f ms", static_cast<double>(*us) / 1000.0);
  } else {
    std::snprintf(out, sizeof out, "%.2f s", static_cast<double>(*us) / 1e6);
  }
  return out;
}

std::string FormatCount(int64_t v) { return std::to_string(v); }

std::string FormatAmount(double v) {
  char out[32];
  std::snprintf(out, sizeof out, "%.2f", v);
  std::string s = out;
  // "12.50" -> "12.5", "12.00" -> "12"; "-0" -> "0".
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

std::string FormatSpan(int64_t us) {
  int64_t secs = us / 1'000'000;
  if (secs <= 0) return "0s";
  const int64_t d = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60, s = secs % 60;
  std::string out;
  auto part = [&](int64_t v, const char* unit) {
    if (v == 0) return;
    if (!out.empty()) out += ' ';
    out += std::to_string(v) + unit;
  };
  part(d, "d");
  part(h, "h");
  part(m, "m");
  part(s, "s");
  return out;
}

std::string ShortestNumber(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char out[64];
  auto [end, ec] = std::to_chars(out, out + sizeof out, v);
  return std::string(out, end);
}

double TidyDecimal(double v) {
  if (!std::isfinite(v)) return v;
  char out[64];
  std::snprintf(out, sizeof out, "%.12g", v);
  return std::strtod(out, nullptr);
}

namespace {
bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
}  // namespace

std::string MarkdownText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    switch (c) {
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        break;
      case '\\':
      case '`':
      case '*':
      case '[':
      case ']':
      case '<':
      case '>':
      case '|':
      case '&':
      case '~':
        out += '\\';
        out += c;
        break;
      case '_':
        if (i == 0 || i + 1 == s.size() || !IsAlnum(s[i - 1]) || !IsAlnum(s[i + 1])) out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace sonde
