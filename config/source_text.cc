#include "config/source_text.h"

namespace sonde {
namespace {

// toml++ counts columns in code points, so UTF-8 continuation bytes don't
// advance the column.
bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

uint32_t CodePoints(std::string_view s) {
  uint32_t n = 0;
  for (char c : s) n += IsContinuationByte(c) ? 0 : 1;
  return n;
}

// Byte index of 1-based code-point column `column` in `line`, or npos.
size_t ByteIndexOfColumn(std::string_view line, uint32_t column) {
  uint32_t seen = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if (IsContinuationByte(line[i])) continue;
    if (++seen == column) return i;
  }
  return std::string_view::npos;
}

}  // namespace

SourceText::SourceText(std::string_view text) {
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(begin, end - begin);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines_.push_back(line);
    begin = end + 1;
  }
}

SourceLocation SourceText::Inside(SourceLocation start, std::string_view value,
                                  size_t offset) const {
  if (start.line == 0 || start.line > lines_.size() || offset > value.size()) return start;
  std::string_view line = lines_[start.line - 1];
  const size_t quote = ByteIndexOfColumn(line, start.column);
  if (quote == std::string_view::npos || (line[quote] != '"' && line[quote] != '\'')) return start;
  if (line.compare(quote, 3, std::string(3, line[quote])) == 0) return start;  // multi-line string
  std::string_view before = value.substr(0, offset);
  if (line.substr(quote + 1).substr(0, before.size()) != before) return start;  // escapes
  return {start.line, start.column + 1 + CodePoints(before)};
}

}  // namespace sonde
