#include "reporter/json_text.h"

#include <boost/json/serialize.hpp>

#include "reporter/report_format.h"

namespace sonde {
namespace {

void Write(const boost::json::value& v, int depth, std::string& out) {
  const std::string indent(static_cast<size_t>(depth + 1) * 2, ' ');
  const std::string close(static_cast<size_t>(depth) * 2, ' ');
  switch (v.kind()) {
    case boost::json::kind::object: {
      const auto& o = v.get_object();
      if (o.empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      bool first = true;
      for (const auto& [key, value] : o) {
        if (!first) out += ",\n";
        first = false;
        out += indent + boost::json::serialize(boost::json::string(key)) + ": ";
        Write(value, depth + 1, out);
      }
      out += "\n" + close + "}";
      return;
    }
    case boost::json::kind::array: {
      const auto& a = v.get_array();
      if (a.empty()) {
        out += "[]";
        return;
      }
      out += "[\n";
      for (size_t i = 0; i < a.size(); ++i) {
        if (i) out += ",\n";
        out += indent;
        Write(a[i], depth + 1, out);
      }
      out += "\n" + close + "]";
      return;
    }
    case boost::json::kind::double_:
      out += ShortestNumber(v.get_double());
      return;
    default:
      out += boost::json::serialize(v);
  }
}

}  // namespace

std::string PrettyJson(const boost::json::value& v) {
  std::string out;
  Write(v, 0, out);
  out += "\n";
  return out;
}

}  // namespace sonde
