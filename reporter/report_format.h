// How reports print numbers and times, shared by every renderer so that the
// Markdown, HTML and CSV forms of one report carry the same strings (the
// JSON form carries the exact values these are rounded from).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sonde {

enum class ReportFormat { kHtml, kMarkdown, kJson, kCsv };
std::optional<ReportFormat> ReportFormatFromString(std::string_view name);  // html, md, json, csv
std::string_view ToString(ReportFormat f);

// "2026-11-21T12:34:56Z" (UTC, whole seconds: reports are about minutes).
std::string FormatTimestamp(int64_t unix_us);
// Inline Markdown text: one line, Markdown punctuation backslash-escaped
// (a '|' cannot end a table cell). An underscore inside a word cannot start
// emphasis, so `eth_transfer` stays as it is.
std::string MarkdownText(std::string_view s);
// "2026-11-21"
std::string FormatDay(int64_t unix_us);
// A ratio as a percentage with 3 decimals: 0.99912 -> "99.912%"; "n/a" for nullopt.
std::string FormatPercent(std::optional<double> ratio);
// A latency: "123.4 ms" under 10 s, else "12.35 s"; "n/a" for nullopt.
std::string FormatLatency(std::optional<int64_t> us);
// A whole count: "1234".
std::string FormatCount(int64_t v);
// A run or minute count that may be fractional (budgets): "12.5"; 2 decimals at most.
std::string FormatAmount(double v);
// A span of time: "1h 2m 3s", "45s", "0s".
std::string FormatSpan(int64_t us);
// The shortest text that reads back as exactly `v` (JSON, CSV): 0.96,
// 0.6666666666666666; NaN, +Inf, -Inf.
std::string ShortestNumber(double v);
// `v` rounded to 12 significant digits: for values derived from decimal
// percentages, so that 99.9 / 100 is 0.999 and not 0.9990000000000001.
double TidyDecimal(double v);

}  // namespace sonde
