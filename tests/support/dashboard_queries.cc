#include "tests/support/dashboard_queries.h"

#include <boost/json.hpp>
#include <regex>

namespace sonde::testing {

namespace json = boost::json;

std::string PanelName(const json::object& p) {
  std::string title = p.contains("title") && p.at("title").is_string()
                          ? std::string(p.at("title").as_string())
                          : "";
  std::string id = p.contains("id") ? json::serialize(p.at("id")) : "?";
  return "panel " + id + " \"" + title + "\"";
}

void CollectPanels(const json::array& panels, std::vector<const json::object*>& out) {
  for (const json::value& v : panels) {
    const json::object& p = v.as_object();
    out.push_back(&p);
    // A collapsed row keeps its panels inside it.
    if (const json::value* inner = p.if_contains("panels"); inner && inner->is_array())
      CollectPanels(inner->as_array(), out);
  }
}

const json::value* Path(const json::value& v, std::initializer_list<std::string_view> keys) {
  const json::value* cur = &v;
  for (std::string_view k : keys) {
    if (!cur->is_object()) return nullptr;
    cur = cur->as_object().if_contains(k);
    if (!cur) return nullptr;
  }
  return cur;
}

std::string String(const json::value* v) {
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::vector<DashboardQuery> DashboardQueries(const json::value& dashboard) {
  std::vector<DashboardQuery> out;
  std::vector<const json::object*> panels;
  if (const json::value* p = Path(dashboard, {"panels"}); p && p->is_array())
    CollectPanels(p->as_array(), panels);
  for (const json::object* p : panels) {
    const json::value* targets = p->if_contains("targets");
    if (!targets || !targets->is_array()) continue;
    for (const json::value& t : targets->as_array()) {
      out.push_back(
          {PanelName(*p) + " target " + String(Path(t, {"refId"})), String(Path(t, {"expr"}))});
    }
  }
  if (const json::value* list = Path(dashboard, {"annotations", "list"});
      list && list->is_array()) {
    for (const json::value& a : list->as_array()) {
      // Grafana keeps a Prometheus annotation's query in "expr" (older) or
      // "target.expr" (newer); either counts.
      for (const json::value* e : {Path(a, {"expr"}), Path(a, {"target", "expr"})}) {
        if (e) out.push_back({"annotation \"" + String(Path(a, {"name"})) + "\"", String(e)});
      }
    }
  }
  return out;
}

std::string WithVariables(const std::string& expr, const VariableValues& values) {
  static const std::regex var(R"re(\$\{?(\w+)(?::\w+)?\}?)re");
  std::string out;
  auto last = expr.cbegin();
  for (auto it = std::sregex_iterator(expr.begin(), expr.end(), var); it != std::sregex_iterator();
       ++it) {
    out.append(last, (*it)[0].first);
    const std::string name = (*it)[1].str();
    if (name == "__rate_interval" || name == "__interval" || name == "__range")
      out += values.interval;
    else if (name.starts_with("__"))
      out += "300";
    else
      out += values.label_value;
    last = (*it)[0].second;
  }
  out.append(last, expr.cend());
  return out;
}

}  // namespace sonde::testing
