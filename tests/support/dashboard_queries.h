// The Grafana dashboard's PromQL, for tests: every panel target (rows'
// panels included) and every annotation query, and Grafana's variables
// replaced by values Prometheus accepts — by promtool for parsing, or by a
// live Prometheus for data.
#pragma once

#include <boost/json/value.hpp>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace sonde::testing {

struct DashboardQuery {
  std::string where;  // `panel 3 "Title" target A`, or `annotation "Faults"`
  std::string expr;
};

std::vector<DashboardQuery> DashboardQueries(const boost::json::value& dashboard);

struct VariableValues {
  std::string interval;     // $__rate_interval, $__interval, $__range
  std::string label_value;  // every other variable ($journey, $slo, ...)
};
std::string WithVariables(const std::string& expr, const VariableValues& values);

// Panel walking, shared with the dashboard's own checks.
std::string PanelName(const boost::json::object& panel);
// Every panel, the panels of collapsed rows included.
void CollectPanels(const boost::json::array& panels, std::vector<const boost::json::object*>& out);
// v[k1][k2]..., or nullptr where a key is missing or a value not an object.
const boost::json::value* Path(const boost::json::value& v,
                               std::initializer_list<std::string_view> keys);
std::string String(const boost::json::value* v);  // "" unless a string

}  // namespace sonde::testing
